using System.Collections.Concurrent;

namespace EventProcessor.EmbeddedTemporal.Matching;

/// <summary>A task handed to a workflow-task poller: a real workflow task or a legacy query task.</summary>
internal interface IWorkflowTaskDispatch
{
    /// <summary>Starts the task for the poller; null when it went stale while queued.</summary>
    Temporalio.Api.WorkflowService.V1.PollWorkflowTaskQueueResponse? TryStart(Temporalio.Api.WorkflowService.V1.PollWorkflowTaskQueueRequest poll);
}

/// <summary>An activity task handed to an activity poller.</summary>
internal interface IActivityTaskDispatch
{
    /// <summary>Starts the attempt for the poller; null when it went stale while queued.</summary>
    Temporalio.Api.WorkflowService.V1.PollActivityTaskQueueResponse? TryStart(Temporalio.Api.WorkflowService.V1.PollActivityTaskQueueRequest poll);
}

/// <summary>All task queues of the server, by namespace and name (normal and sticky queues alike).</summary>
internal sealed class MatchingService
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), TaskQueue<IWorkflowTaskDispatch>> _workflowQueues = new();
    private readonly ConcurrentDictionary<(string Namespace, string Name), TaskQueue<IActivityTaskDispatch>> _activityQueues = new();

    public TaskQueue<IWorkflowTaskDispatch> WorkflowQueue(string ns, string name) =>
        _workflowQueues.GetOrAdd((ns, name), static _ => new TaskQueue<IWorkflowTaskDispatch>());

    public TaskQueue<IActivityTaskDispatch> ActivityQueue(string ns, string name) =>
        _activityQueues.GetOrAdd((ns, name), static _ => new TaskQueue<IActivityTaskDispatch>());

    public void AddWorkflowTask(string ns, string queue, IWorkflowTaskDispatch task) => WorkflowQueue(ns, queue).Add(task);

    public void AddActivityTask(string ns, string queue, IActivityTaskDispatch task) => ActivityQueue(ns, queue).Add(task);

    /// <summary>
    /// A real server sends a workflow task to a sticky queue only if a worker polled it within the last
    /// 10 s (matching_engine.go, <c>stickyWorkerAvailable</c> and <c>stickyPollerUnavailableWindow</c>);
    /// otherwise matching answers StickyWorkerUnavailable and history pushes the task to the normal
    /// queue at once (transfer_queue_active_task_executor.go) instead of waiting out the sticky
    /// schedule-to-start timeout: what makes a dead worker's runs move on quickly.
    /// </summary>
    public static readonly TimeSpan StickyPollerUnavailableWindow = TimeSpan.FromSeconds(10);

    public bool StickyWorkerAvailable(string ns, string name) =>
        _workflowQueues.TryGetValue((ns, name), out var queue) && queue.HasPollerWithin(StickyPollerUnavailableWindow);

    /// <summary>Removes a sticky queue whose worker shut down and returns what was waiting in it.</summary>
    public IReadOnlyList<IWorkflowTaskDispatch> RemoveStickyQueue(string ns, string name) =>
        _workflowQueues.TryRemove((ns, name), out var queue) ? queue.DrainAll() : [];
}
