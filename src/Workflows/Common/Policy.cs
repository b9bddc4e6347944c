using EventProcessor.Activities.Configuration;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Common;

/// <summary>Reads the notification policy once per run, as a local activity (recorded, not billed as a separate task).</summary>
public static class Policy
{
    private static readonly LocalActivityOptions Options = new()
    {
        Summary = "Read notification settings",
        StartToCloseTimeout = TimeSpan.FromSeconds(5),
        RetryPolicy = new() { MaximumAttempts = 3 },
    };

    public static Task<NotificationPolicy> GetAsync() =>
        Workflow.ExecuteLocalActivityAsync((SettingsActivities a) => a.GetNotificationPolicy(), Options);
}
