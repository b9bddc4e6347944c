using Temporalio.Common;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Common;

/// <summary>
/// Activity options per integration. Every call has a start-to-close timeout (so a lost worker is
/// noticed) and a bounded retry budget (Temporal's default retries forever). Permanent failures
/// are already marked non-retryable by the activities, so no error-type lists are kept here.
/// The <c>Summary</c> makes each step read well in Temporal UI.
/// </summary>
/// <remarks>
/// An activity that was running on a worker that died is retried only when one of its timeouts
/// fires, so these timeouts set how long a crash delays an event. An HTTP activity's start-to-close
/// is one HTTP timeout (<see cref="HttpTimeout"/>, the integrations' default <c>TimeoutSeconds</c>)
/// plus <see cref="Margin"/> for its other calls (each normally well under a second) and the
/// worker's own work: about 20 s. An attempt cut short is retried, which every activity is safe to
/// repeat. Batches (mail) may run for minutes, so they keep a long start-to-close and instead
/// heartbeat (<c>ActivityHeartbeat</c>) well within <see cref="BatchHeartbeatTimeout"/>.
/// </remarks>
public static class ActivityProfiles
{
    /// <summary>The default per-request HTTP timeout of every integration (<c>Jira:TimeoutSeconds</c> and the like).</summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What an attempt gets on top of one HTTP timeout.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    /// <summary>Start-to-close of every HTTP activity: one HTTP timeout plus the margin.</summary>
    public static readonly TimeSpan HttpStartToClose = HttpTimeout + Margin;

    /// <summary>Heartbeat timeout of batch activities: one SMTP/HTTP step's timeout plus the margin.</summary>
    public static readonly TimeSpan BatchHeartbeatTimeout = HttpTimeout + Margin;

    /// <summary>Start-to-close of a Jira write that may wait out search lag: about 40 s of waiting per attempt.</summary>
    public static readonly TimeSpan JiraWriteStartToClose = TimeSpan.FromSeconds(60);

    /// <summary>Our own platform API: fast reads, retried for a few minutes.</summary>
    public static ActivityOptions Platform(string summary) => Options(summary, HttpStartToClose, TimeSpan.FromMinutes(10), 10);

    /// <summary>Jira and JSM: burst limits answer 429 with Retry-After, which Temporal honours.</summary>
    public static ActivityOptions Jira(string summary) => Options(summary, HttpStartToClose, TimeSpan.FromMinutes(30), 12);

    /// <summary>
    /// Jira creates and comments that must happen once: after an attempt whose outcome was lost, the
    /// next attempt waits out Jira's search lag (up to <c>Jira:SearchLagWindowSeconds</c>) before
    /// writing again, and it does that waiting inside the attempt, which needs room for a look and a
    /// write (two HTTP timeouts) besides the wait. So these attempts get <see cref="JiraWriteStartToClose"/>;
    /// a worker lost during one is noticed after that, not after <see cref="HttpStartToClose"/>.
    /// </summary>
    public static ActivityOptions JiraWrite(string summary) => Options(summary, JiraWriteStartToClose, TimeSpan.FromMinutes(30), 12);

    /// <summary>Algolia: writes are asynchronous on Algolia's side and cheap to repeat.</summary>
    public static ActivityOptions Algolia(string summary) => Options(summary, HttpStartToClose, TimeSpan.FromMinutes(15), 10);

    /// <summary>
    /// HubSpot: the DAILY rate-limit policy asks to wait until midnight in the account's zone, so
    /// the budget spans a day; attempts stay few because each one is billed.
    /// </summary>
    public static ActivityOptions HubSpot(string summary) => Options(summary, HttpStartToClose, TimeSpan.FromHours(25), 15);

    /// <summary>Pusher: progress pushes are only worth delivering while they are fresh.</summary>
    public static ActivityOptions Push(string summary) => Options(summary, HttpStartToClose, TimeSpan.FromMinutes(5), 6);

    /// <summary>
    /// Email: one activity sends a whole batch (one mail per recipient), heartbeating its progress so
    /// a retry resumes after the last recipient sent. The heartbeat timeout, not the start-to-close,
    /// notices a worker lost mid-batch.
    /// </summary>
    public static ActivityOptions Email(string summary)
    {
        var options = Options(summary, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), 10);
        options.HeartbeatTimeout = BatchHeartbeatTimeout;
        return options;
    }

    private static ActivityOptions Options(string summary, TimeSpan startToClose, TimeSpan scheduleToClose, int maximumAttempts) => new()
    {
        Summary = summary,
        StartToCloseTimeout = startToClose,
        ScheduleToCloseTimeout = scheduleToClose,
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(2),
            MaximumAttempts = maximumAttempts,
        },
    };
}
