using System.Reflection;
using EventProcessor.Activities;
using EventProcessor.Cli.Runs;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace EventProcessor.Cli.Tests.Runs;

/// <summary>
/// The reset point a re-run picks from a run's history, on histories shaped like the product's
/// (DataDeliveryFailed: reads and a push, then the Jira ticket and the mail in parallel). A reset
/// keeps what completed before the chosen WorkflowTaskCompleted and dispatches again what was
/// still open (temporalio/temporal service/history/ndc/workflow_resetter.go, failInflightActivity).
/// </summary>
public sealed class ResetPlannerTests
{
    [Fact]
    public void After_a_failure_the_default_resets_just_before_it_and_keeps_the_mail_sent_before()
    {
        var h = DeliveryUntilTicketAndMail();
        var mail = h.Complete(h.Mail);
        h.WorkflowTask();
        h.FailActivity(h.Ticket);
        h.WorkflowTask();
        h.FailRun(h.Ticket);

        var choice = ResetPlanner.Choose(h.Events, ResetPoint.Failure)!;

        Assert.Equal(h.LastTaskCompletedBefore(h.Events.Single(e => e.EventType == EventType.ActivityTaskFailed).EventId), choice.EventId);
        Assert.True(choice.EventId > mail);
        Assert.Equal("CreateIssueOnce", choice.FailedActivity);
        Assert.Contains(choice.Kept, s => s.ActivityType == "SendTemplated" && s.SideEffect == "mail");
        Assert.Contains(choice.Kept, s => s.ActivityType == "PushTrigger");
        Assert.Empty(choice.Repeated);
        Assert.False(choice.FirstWorkflowTask);
        Assert.Matches(@"^reset to event \d+, just before CreateIssueOnce failed; keeps 5 completed step\(s\)$", choice.Describe());
    }

    [Fact]
    public void When_the_mail_completed_only_after_the_failure_no_reset_point_keeps_it_and_the_choice_says_so()
    {
        var h = DeliveryUntilTicketAndMail();
        h.FailActivity(h.Ticket);
        h.WorkflowTask();
        h.Complete(h.Mail);
        h.WorkflowTask();
        h.FailRun(h.Ticket);

        var choice = ResetPlanner.Choose(h.Events, ResetPoint.Failure)!;

        Assert.Equal(h.TicketAndMailTask, choice.EventId);
        var repeated = Assert.Single(choice.RepeatedSideEffects);
        Assert.Equal(("SendTemplated", "mail"), (repeated.ActivityType, repeated.SideEffect));
        Assert.EndsWith("the steps that completed after it cannot be kept and run again: mail (SendTemplated)", choice.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_of_a_step_scheduled_by_the_first_workflow_task_resets_to_it_and_says_nothing_was_kept()
    {
        var h = new History();
        var task = h.WorkflowTask();
        var push = h.Schedule("PushTrigger");
        var ticket = h.Schedule("CreateIssueOnce");
        h.FailActivity(ticket);
        h.WorkflowTask();
        h.Complete(push);
        h.WorkflowTask();
        h.FailRun(ticket);

        var choice = ResetPlanner.Choose(h.Events, ResetPoint.Failure)!;

        Assert.Equal(task, choice.EventId);
        Assert.True(choice.FirstWorkflowTask);
        Assert.Equal("push (PushTrigger)", ResetChoice.Steps(choice.RepeatedSideEffects));
        Assert.Contains("that is the first workflow task, so the steps completed since cannot be kept", choice.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_first_repeats_every_completed_step_and_lists_its_side_effects()
    {
        var h = DeliveryUntilTicketAndMail();
        h.Complete(h.Mail);
        h.WorkflowTask();
        h.FailActivity(h.Ticket);
        h.WorkflowTask();
        h.FailRun(h.Ticket);

        var choice = ResetPlanner.Choose(h.Events, ResetPoint.First)!;

        Assert.Equal(4, choice.EventId);
        Assert.Empty(choice.Kept);
        Assert.Equal(["push", "mail"], choice.RepeatedSideEffects.Select(s => s.SideEffect!));
        Assert.Equal($"reset to event 4 (the first workflow task): every step runs again, repeating push (PushTrigger), mail (SendTemplated)", choice.Describe());
    }

    [Fact]
    public void The_failure_the_run_ended_with_counts_not_an_earlier_one_the_workflow_handled()
    {
        var h = new History();
        h.WorkflowTask();
        var handled = h.Schedule("GetProject");
        h.FailActivity(handled);
        var afterHandled = h.WorkflowTask();
        var comment = h.Schedule("AddCommentOnce");
        h.Complete(comment);
        var afterComment = h.WorkflowTask();
        var ticket = h.Schedule("CreateIssueOnce");
        h.FailActivity(ticket);
        h.WorkflowTask();
        h.FailRun(ticket);

        var choice = ResetPlanner.Choose(h.Events, ResetPoint.Failure)!;

        Assert.True(choice.EventId == afterComment && afterComment > afterHandled, choice.Describe());
        Assert.Equal("CreateIssueOnce", choice.FailedActivity);
        Assert.Contains(choice.Kept, s => s.ActivityType == "AddCommentOnce");
    }

    [Fact]
    public void A_run_without_a_completed_workflow_task_has_no_reset_point()
    {
        var h = new History();

        Assert.Null(ResetPlanner.Choose(h.Events, ResetPoint.Failure));
    }

    [Fact]
    public void Every_activity_the_worker_registers_is_described_as_a_read_or_a_side_effect()
    {
        var registered = ActivitiesServiceCollectionExtensions.ActivityTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<Temporalio.Activities.ActivityAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => x.Attribute!.Name ?? (x.Method.Name.EndsWith("Async", StringComparison.Ordinal) ? x.Method.Name[..^5] : x.Method.Name))
            .ToList();

        Assert.NotEmpty(registered);
        Assert.All(registered, name => Assert.Contains(name, SideEffects.KnownActivityTypes));
        Assert.Equal("mail", SideEffects.KindOf("SendTemplated"));
        Assert.Null(SideEffects.KindOf("GetProject"));
        Assert.Equal("unknown activity", SideEffects.KindOf("SomethingNew"));
    }

    /// <summary>DataDeliveryFailed up to the task that schedules the ticket and the mail together.</summary>
    private static History DeliveryUntilTicketAndMail()
    {
        var h = new History();
        h.WorkflowTask();
        var reads = new[] { h.Schedule("GetProject"), h.Schedule("GetReport"), h.Schedule("GetProjectUsers") };
        var push = h.Schedule("PushTrigger");
        h.Complete(push);
        h.WorkflowTask();
        foreach (var read in reads)
        {
            h.Complete(read);
        }

        h.TicketAndMailTask = h.WorkflowTask();
        h.Ticket = h.Schedule("CreateIssueOnce");
        h.Mail = h.Schedule("SendTemplated");
        return h;
    }

    /// <summary>A history written the way the server writes one: contiguous ids, activity started right before it closes.</summary>
    private sealed class History
    {
        private readonly List<HistoryEvent> events = [];

        public History() => Add(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = new());

        public IReadOnlyList<HistoryEvent> Events => events;

        public long TicketAndMailTask { get; set; }

        public long Ticket { get; set; }

        public long Mail { get; set; }

        /// <summary>Scheduled, started, completed: returns the completed event's id.</summary>
        public long WorkflowTask()
        {
            var scheduled = Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new());
            var started = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new() { ScheduledEventId = scheduled });
            return Add(EventType.WorkflowTaskCompleted, e => e.WorkflowTaskCompletedEventAttributes = new() { ScheduledEventId = scheduled, StartedEventId = started });
        }

        public long Schedule(string type) => Add(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = new() { ActivityType = new() { Name = type } });

        public long Complete(long scheduled)
        {
            var started = Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new() { ScheduledEventId = scheduled });
            return Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new() { ScheduledEventId = scheduled, StartedEventId = started });
        }

        public long FailActivity(long scheduled)
        {
            var started = Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new() { ScheduledEventId = scheduled });
            return Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new() { ScheduledEventId = scheduled, StartedEventId = started });
        }

        public void FailRun(long failedActivity) => Add(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = new Failure
            {
                Message = "Activity task failed",
                ActivityFailureInfo = new ActivityFailureInfo { ScheduledEventId = failedActivity, ActivityType = new() { Name = "x" } },
                Cause = new Failure { Message = "Jira answered 401", ApplicationFailureInfo = new ApplicationFailureInfo { Type = "JiraUnauthorized", NonRetryable = true } },
            },
        });

        public long LastTaskCompletedBefore(long eventId) =>
            events.Last(e => e.EventType == EventType.WorkflowTaskCompleted && e.EventId < eventId).EventId;

        private long Add(EventType type, Action<HistoryEvent> attributes)
        {
            var e = new HistoryEvent { EventId = events.Count + 1, EventType = type };
            attributes(e);
            events.Add(e);
            return e.EventId;
        }
    }
}
