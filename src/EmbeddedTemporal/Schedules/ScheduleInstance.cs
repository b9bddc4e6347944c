using System.Buffers.Binary;
using EventProcessor.EmbeddedTemporal.Frontend;
using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Memo = Temporalio.Api.Common.V1.Memo;
using Payload = Temporalio.Api.Common.V1.Payload;
using ProtoExecution = Temporalio.Api.Common.V1.WorkflowExecution;
using SearchAttributes = Temporalio.Api.Common.V1.SearchAttributes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Schedule.V1;

namespace EventProcessor.EmbeddedTemporal.Schedules;

/// <summary>
/// One schedule, doing what the server's scheduler workflow does (service/worker/scheduler/workflow.go),
/// on the server's clock so time skipping drives it. Every method runs under the namespace lock.
/// Each wake-up processes the time range since the last one (<c>processTimeRange</c>: actions whose
/// time is older than the catch-up window are counted as missed, the others buffered), then the buffer
/// (<c>processBuffer</c> and buffer.go <c>ProcessBuffer</c>: the overlap policy decides what starts, is
/// skipped or waits), then sleeps until the next action time (none while paused).
/// </summary>
internal sealed class ScheduleInstance
{
    /// <summary>Defaults of the server's scheduler (workflow.go <c>CurrentTweakablePolicies</c>).</summary>
    public static readonly TimeSpan DefaultCatchupWindow = TimeSpan.FromDays(365);

    public static readonly TimeSpan MinCatchupWindow = TimeSpan.FromSeconds(10);

    private const int RecentActionCount = 10;
    private const int FutureActionCount = 10;
    private const int RecentActionCountForList = 5;
    private const int FutureActionCountForList = 5;
    private const int MaxBufferSize = 1000;
    private const int SpecFieldLengthLimit = 10;

    /// <summary>The first conflict token of a schedule (workflow.go <c>InitialConflictToken</c>).</summary>
    private const long InitialConflictToken = 1;

    private readonly TemporalNamespace _ns;
    private readonly List<BufferedStart> _buffer = [];
    private CompiledSpec _spec;
    private IDisposable? _timer;
    private DateTimeOffset? _timerDeadline;

    public ScheduleInstance(TemporalNamespace ns, string id, string requestId, Schedule schedule, CompiledSpec spec, Memo? memo, SearchAttributes? searchAttributes)
    {
        _ns = ns;
        Id = id;
        RequestId = requestId;
        Schedule = schedule;
        _spec = spec;
        Memo = memo;
        SearchAttributes = searchAttributes;
        var now = ns.Server.Now;
        LastProcessedTime = now;
        ConflictToken = InitialConflictToken;
        Info = new ScheduleInfo { CreateTime = Timestamp.FromDateTimeOffset(now) };
        EnsureDefaults();
    }

    public string Id { get; }

    /// <summary>The create request's id: the same create sent again succeeds.</summary>
    public string RequestId { get; }

    public Schedule Schedule { get; private set; }

    public ScheduleInfo Info { get; }

    public Memo? Memo { get; }

    public SearchAttributes? SearchAttributes { get; private set; }

    public long ConflictToken { get; private set; }

    public DateTimeOffset LastProcessedTime { get; private set; }

    public bool Deleted { get; private set; }

    private DateTimeOffset Now => _ns.Server.Now;

    private ILogger Logger => _ns.Server.Logger;

    /// <summary>The conflict token as the frontend encodes it: 8 bytes, big-endian.</summary>
    public ByteString ConflictTokenBytes
    {
        get
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, ConflictToken);
            return ByteString.CopyFrom(bytes);
        }
    }

    public static long? DecodeConflictToken(ByteString? token) =>
        token is { Length: 8 } ? BinaryPrimitives.ReadInt64BigEndian(token.Span) : null;

    /// <summary>Starts the schedule: the initial patch (trigger immediately, backfills), then the first sleep.</summary>
    public void Start(SchedulePatch? initialPatch)
    {
        var next = Advance();
        if (initialPatch is not null)
        {
            ApplyPatch(initialPatch);
        }

        Settle(next);
    }

    /// <summary>PatchSchedule: the time range up to now first, with the schedule as it was (workflow.go <c>run</c>, then <c>processSignals</c>).</summary>
    public void Patch(SchedulePatch patch)
    {
        var next = Advance();
        ApplyPatch(patch);
        if (patch.Unpause.Length > 0 || patch.Pause.Length > 0)
        {
            next = _spec.GetNextTime(LastProcessedTime);
        }

        Settle(next);
    }

    /// <summary>
    /// UpdateSchedule (workflow.go <c>processUpdate</c>): a conflict token that does not match the
    /// schedule's is ignored, as the scheduler workflow ignores it (<c>checkConflict</c>); otherwise
    /// spec, action, policies and state are replaced, info is kept, the update time is set and the
    /// conflict token moves on. Search attributes are replaced when given.
    /// </summary>
    public void Update(Schedule schedule, CompiledSpec spec, long? conflictToken, SearchAttributes? searchAttributes)
    {
        var next = Advance();
        if (conflictToken is { } token && token != 0 && token != ConflictToken)
        {
            Logger.LogWarning("Schedule {ScheduleId}: update conflicted with a concurrent change; ignored", Id);
            Settle(next);
            return;
        }

        Schedule = schedule;
        _spec = spec;
        EnsureDefaults();
        if (searchAttributes is not null)
        {
            SearchAttributes = searchAttributes;
        }

        Info.UpdateTime = Timestamp.FromDateTimeOffset(Now);
        ConflictToken++;
        Settle(_spec.GetNextTime(LastProcessedTime));
    }

    public void Delete()
    {
        Deleted = true;
        _timer?.Dispose();
        _timer = null;
        _timerDeadline = null;
    }

    /// <summary>A run closed: if starts wait in the buffer for it, wake (the scheduler's long-poll watcher).</summary>
    public void OnRunClosed(WorkflowExecution run)
    {
        if (Deleted || _buffer.Count == 0 || !Info.RunningWorkflows.Any(w => w.WorkflowId == run.WorkflowId))
        {
            return;
        }

        // Not from inside the closing run's transition: a moment later, on the server's clock.
        _ns.Server.Timers.Schedule(TimeSpan.Zero, () =>
        {
            lock (_ns.Sync)
            {
                if (!Deleted)
                {
                    Settle(Advance());
                }
            }
        });
    }

    public DescribeResult Describe()
    {
        var info = Info.Clone();
        info.FutureActionTimes.Clear();
        info.FutureActionTimes.AddRange(FutureActionTimes(FutureActionCount));
        info.BufferSize = _buffer.Count;
        return new DescribeResult(Schedule.Clone(), info);
    }

    /// <summary>What a list entry shows (workflow.go <c>getListInfo</c>).</summary>
    public ScheduleListInfo ListInfo()
    {
        var spec = Schedule.Spec.Clone();
        spec.TimezoneData = ByteString.Empty;
        Trim(spec.ExcludeStructuredCalendar);
        Trim(spec.Interval);
        Trim(spec.StructuredCalendar);
        var info = new ScheduleListInfo
        {
            Spec = spec,
            WorkflowType = Schedule.Action.StartWorkflow?.WorkflowType,
            Notes = Schedule.State.Notes,
            Paused = Schedule.State.Paused,
        };
        info.RecentActions.AddRange(Info.RecentActions.Skip(Math.Max(0, Info.RecentActions.Count - RecentActionCountForList)).Select(a => a.Clone()));
        info.FutureActionTimes.AddRange(FutureActionTimes(FutureActionCountForList));
        return info;

        static void Trim<T>(Google.Protobuf.Collections.RepeatedField<T> field)
        {
            while (field.Count > SpecFieldLengthLimit)
            {
                field.RemoveAt(field.Count - 1);
            }
        }
    }

    /// <summary>Action times from the last processed time on, leaving out those before the last update (workflow.go <c>getFutureActionTimes</c>).</summary>
    private IEnumerable<Timestamp> FutureActionTimes(int n)
    {
        var count = Schedule.State.LimitedActions ? (int)Math.Min(Schedule.State.RemainingActions, n) : n;
        var updateTime = Info.UpdateTime?.ToDateTimeOffset();
        var result = new List<Timestamp>();
        var t = LastProcessedTime;
        while (result.Count < count && _spec.GetNextTime(t) is { } next)
        {
            t = next;
            if (updateTime is { } u && u > next)
            {
                continue;
            }

            result.Add(Timestamp.FromDateTimeOffset(next));
        }

        return result;
    }

    /// <summary>ListScheduleMatchingTimes (workflow.go <c>handleListMatchingTimesQuery</c>): at most 1000 times in (start, end].</summary>
    public IEnumerable<Timestamp> MatchingTimes(DateTimeOffset start, DateTimeOffset end)
    {
        var t = start;
        for (var i = 0; i < 1000; i++)
        {
            if (_spec.GetNextTime(t) is not { } next || next > end)
            {
                yield break;
            }

            t = next;
            yield return Timestamp.FromDateTimeOffset(next);
        }
    }

    private void EnsureDefaults()
    {
        Schedule.Spec ??= new ScheduleSpec();
        Schedule.Action ??= new ScheduleAction();
        Schedule.Policies ??= new SchedulePolicies();
        Schedule.State ??= new Temporalio.Api.Schedule.V1.ScheduleState();
        Schedule.Policies.OverlapPolicy = Resolve(Schedule.Policies.OverlapPolicy);
        Schedule.Policies.CatchupWindow = Duration.FromTimeSpan(CatchupWindow);
    }

    /// <summary>workflow.go <c>getCatchupWindow</c>: unset means a year, and never less than 10 s.</summary>
    private TimeSpan CatchupWindow
    {
        get
        {
            var window = Schedule.Policies.CatchupWindow?.ToTimeSpan();
            return window is null ? DefaultCatchupWindow : window < MinCatchupWindow ? MinCatchupWindow : window.Value;
        }
    }

    /// <summary>workflow.go <c>resolveOverlapPolicy</c>: a start's own policy, else the schedule's, else SKIP.</summary>
    private ScheduleOverlapPolicy Resolve(ScheduleOverlapPolicy policy)
    {
        if (policy == ScheduleOverlapPolicy.Unspecified)
        {
            policy = Schedule.Policies?.OverlapPolicy ?? ScheduleOverlapPolicy.Unspecified;
        }

        return policy == ScheduleOverlapPolicy.Unspecified ? ScheduleOverlapPolicy.Skip : policy;
    }

    /// <summary>Processes the time since the last wake-up; returns the next action time.</summary>
    private DateTimeOffset? Advance()
    {
        var now = Now;
        var start = LastProcessedTime > now ? now : LastProcessedTime;
        var next = ProcessTimeRange(start, now, ScheduleOverlapPolicy.Unspecified, manual: false);
        LastProcessedTime = now;
        return next;
    }

    /// <summary>
    /// workflow.go <c>processTimeRange</c>: every action time in (start, end] is buffered, except those
    /// before the last update and those older than the catch-up window when not manual (counted in
    /// <c>missed_catchup_window</c>). A paused schedule (or one out of actions) skips the whole range.
    /// </summary>
    private DateTimeOffset? ProcessTimeRange(DateTimeOffset start, DateTimeOffset end, ScheduleOverlapPolicy policy, bool manual)
    {
        if (!CanTakeScheduledAction(manual, decrement: false))
        {
            return _spec.GetNextTime(end);
        }

        var updateTime = Info.UpdateTime?.ToDateTimeOffset();
        var next = _spec.GetNextTime(start);
        for (; next is { } t && t <= end; next = _spec.GetNextTime(t))
        {
            if (!manual && updateTime is { } u && u > t)
            {
                continue;
            }

            if (!manual && end - t > CatchupWindow)
            {
                Logger.LogWarning("Schedule {ScheduleId} missed its catch-up window for {Time}", Id, t);
                Info.MissedCatchupWindow++;
                continue;
            }

            AddStart(t, t, policy, manual);
        }

        return next;
    }

    /// <summary>workflow.go <c>canTakeScheduledAction</c>.</summary>
    private bool CanTakeScheduledAction(bool manual, bool decrement)
    {
        if (manual)
        {
            return true;
        }

        if (Schedule.State.Paused)
        {
            return false;
        }

        if (!Schedule.State.LimitedActions)
        {
            return true;
        }

        if (Schedule.State.RemainingActions > 0)
        {
            if (decrement)
            {
                Schedule.State.RemainingActions--;
                ConflictToken++;
            }

            return true;
        }

        return false;
    }

    private void AddStart(DateTimeOffset nominal, DateTimeOffset actual, ScheduleOverlapPolicy policy, bool manual)
    {
        if (_buffer.Count >= MaxBufferSize)
        {
            Info.BufferDropped++;
            return;
        }

        _buffer.Add(new BufferedStart(nominal, actual, policy, manual));
    }

    /// <summary>workflow.go <c>processPatch</c>.</summary>
    private void ApplyPatch(SchedulePatch patch)
    {
        if (patch.TriggerImmediately is { } trigger)
        {
            var now = trigger.ScheduledTime?.ToDateTimeOffset() is { } scheduled && scheduled != DateTimeOffset.UnixEpoch ? scheduled : Now;
            AddStart(now, now, trigger.OverlapPolicy, manual: true);
        }

        foreach (var backfill in patch.BackfillRequest)
        {
            // Backfill start times are inclusive (InclusiveBackfillStartTime).
            var from = (backfill.StartTime?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch).AddMilliseconds(-1);
            var to = backfill.EndTime?.ToDateTimeOffset() ?? from;
            ProcessTimeRange(from, to, backfill.OverlapPolicy, manual: true);
        }

        if (patch.Pause.Length > 0)
        {
            Schedule.State.Paused = true;
            Schedule.State.Notes = patch.Pause;
            ConflictToken++;
        }

        if (patch.Unpause.Length > 0)
        {
            Schedule.State.Paused = false;
            Schedule.State.Notes = patch.Unpause;
            ConflictToken++;
        }
    }

    /// <summary>Starts what the buffer allows, then sleeps until <paramref name="next"/> (no timer while paused or out of actions).</summary>
    private void Settle(DateTimeOffset? next)
    {
        while (ProcessBuffer())
        {
        }

        if (!CanTakeScheduledAction(manual: false, decrement: false))
        {
            next = null;
        }

        if (next == _timerDeadline && _timer is not null)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        _timerDeadline = next;
        if (next is { } deadline)
        {
            _timer = _ns.Server.Timers.Schedule(deadline - Now, () =>
            {
                lock (_ns.Sync)
                {
                    if (Deleted || _timerDeadline != deadline)
                    {
                        return;
                    }

                    _timer = null;
                    _timerDeadline = null;
                    Settle(Advance());
                }
            });
        }
    }

    /// <summary>workflow.go <c>processBuffer</c>; returns whether there may be more to do now.</summary>
    private bool ProcessBuffer()
    {
        RefreshRunningWorkflows();
        var request = Schedule.Action.StartWorkflow;
        if (request is null || _buffer.Count == 0)
        {
            _buffer.Clear();
            return false;
        }

        var isRunning = Info.RunningWorkflows.Count > 0;
        var action = Overlap(isRunning);
        _buffer.Clear();
        _buffer.AddRange(action.NewBuffer);
        Info.OverlapSkipped += action.OverlapSkipped;

        var tryAgain = false;
        var all = action.OverlappingStarts.ToList();
        if (action.NonOverlappingStart is { } single)
        {
            all.Add(single);
        }

        foreach (var start in all)
        {
            if (!CanTakeScheduledAction(start.Manual, decrement: true))
            {
                tryAgain = true;
                continue;
            }

            if (StartWorkflow(start, request) is not { } result)
            {
                tryAgain = true;
                continue;
            }

            Info.ActionCount++;
            Info.RecentActions.Add(result);
            while (Info.RecentActions.Count > RecentActionCount)
            {
                Info.RecentActions.RemoveAt(0);
            }

            // ALLOW_ALL runs are not tracked as running (DontTrackOverlapping).
            if (ReferenceEquals(start, action.NonOverlappingStart))
            {
                Info.RunningWorkflows.Add(result.StartWorkflowResult.Clone());
            }
        }

        if (action.NeedTerminate || action.NeedCancel)
        {
            foreach (var running in Info.RunningWorkflows.ToList())
            {
                var run = _ns.CurrentRun(running.WorkflowId);
                if (run is not { IsRunning: true } || run.FirstExecutionRunId != running.RunId)
                {
                    continue;
                }

                if (action.NeedTerminate)
                {
                    run.Terminate("terminated by schedule overlap policy", null, Identity);
                }
                else
                {
                    run.RequestCancel("cancelled by schedule overlap policy", Identity);
                }
            }

            // A termination closes the run at once here; start what waited for it.
            tryAgain |= action.NeedTerminate;
        }

        return tryAgain && _buffer.Count > 0 && !action.NeedCancel;
    }

    private OverlapResult Overlap(bool isRunning)
    {
        // buffer.go ProcessBuffer.
        var result = new OverlapResult();
        foreach (var start in _buffer)
        {
            var policy = Resolve(start.OverlapPolicy);
            if (policy == ScheduleOverlapPolicy.AllowAll)
            {
                result.OverlappingStarts.Add(start);
                continue;
            }

            if (!isRunning && result.NonOverlappingStart is null)
            {
                result.NonOverlappingStart = start;
                continue;
            }

            switch (policy)
            {
                case ScheduleOverlapPolicy.Skip:
                    result.OverlapSkipped++;
                    break;
                case ScheduleOverlapPolicy.BufferOne:
                    if (result.NewBuffer.Count == 0)
                    {
                        result.NewBuffer.Add(start);
                    }
                    else
                    {
                        result.OverlapSkipped++;
                    }

                    break;
                case ScheduleOverlapPolicy.BufferAll:
                    result.NewBuffer.Add(start);
                    break;
                case ScheduleOverlapPolicy.CancelOther:
                    if (isRunning)
                    {
                        result.NeedCancel = true;
                        result.NewBuffer.Add(start);
                    }
                    else
                    {
                        result.NonOverlappingStart = start;
                    }

                    break;
                case ScheduleOverlapPolicy.TerminateOther:
                    if (isRunning)
                    {
                        result.NeedTerminate = true;
                        result.NewBuffer.Add(start);
                    }
                    else
                    {
                        result.NonOverlappingStart = start;
                    }

                    break;
                default:
                    result.OverlapSkipped++;
                    break;
            }
        }

        if (result.NeedCancel || result.NeedTerminate)
        {
            result.OverlappingStarts.Clear();
        }

        return result;
    }

    /// <summary>
    /// Drops the runs that have closed from the running list and records their close status in the
    /// recent actions; pauses on failure when the policy asks (workflow.go <c>processWatcherResult</c>).
    /// A run's chain (retries, continue-as-new) counts as one, as the watcher follows it.
    /// </summary>
    private void RefreshRunningWorkflows()
    {
        foreach (var running in Info.RunningWorkflows.ToList())
        {
            var current = _ns.CurrentRun(running.WorkflowId);
            var run = current is not null && current.FirstExecutionRunId == running.RunId ? current : _ns.FindRun(running.WorkflowId, running.RunId);
            if (run is null || run.IsRunning)
            {
                continue;
            }

            Info.RunningWorkflows.Remove(running);
            foreach (var recent in Info.RecentActions.Where(a => a.StartWorkflowResult?.WorkflowId == running.WorkflowId))
            {
                recent.StartWorkflowStatus = run.Status;
            }

            var failed = run.Status is WorkflowExecutionStatus.Failed or WorkflowExecutionStatus.TimedOut;
            if (Schedule.Policies.PauseOnFailure && failed && !Schedule.State.Paused)
            {
                Schedule.State.Paused = true;
                Schedule.State.Notes = run.Status == WorkflowExecutionStatus.Failed
                    ? $"paused due to workflow failure: {running.WorkflowId}: {FailureMessage(run)}"
                    : $"paused due to workflow timeout: {running.WorkflowId}";
                ConflictToken++;
            }
        }
    }

    private static string FailureMessage(WorkflowExecution run) =>
        run.History.Events.Count > 0 && run.History.Events[^1].WorkflowExecutionFailedEventAttributes is { } failed ? failed.Failure?.Message ?? string.Empty : string.Empty;

    /// <summary>workflow.go <c>identity</c>.</summary>
    private string Identity => $"temporal-scheduler-{_ns.Name}-{Id}";

    /// <summary>
    /// workflow.go <c>startWorkflow</c>: the workflow id is the action's id plus "-" and the nominal time
    /// in RFC 3339 at second precision, UTC (AlwaysAppendTimestamp); search attributes are the action's
    /// plus <c>TemporalScheduledStartTime</c> (the nominal time) and <c>TemporalScheduledById</c> (the
    /// schedule id) (<c>addSearchAttributes</c>); a scheduled start rejects a used id, a manual one
    /// allows a closed one (id reuse policy REJECT_DUPLICATE / ALLOW_DUPLICATE). A start that fails is
    /// dropped and logged, as the scheduler drops it.
    /// </summary>
    private ScheduleActionResult? StartWorkflow(BufferedStart start, Temporalio.Api.Workflow.V1.NewWorkflowExecutionInfo request)
    {
        var nominal = DateTimeOffset.FromUnixTimeSeconds(start.Nominal.ToUnixTimeSeconds());
        var workflowId = request.WorkflowId + "-" + FormatNominalTime(nominal);
        try
        {
            var attributes = request.SearchAttributes?.Clone() ?? new SearchAttributes();
            attributes.IndexedFields["TemporalScheduledStartTime"] = JsonPayload($"\"{FormatNominalTime(nominal)}\"");
            attributes.IndexedFields["TemporalScheduledById"] = JsonPayload(System.Text.Json.JsonSerializer.Serialize(Id));
            var parameters = StartHandlers.Parameters(_ns, workflowId, request.WorkflowType, request.TaskQueue, Guid.NewGuid().ToString(), Identity,
                request.WorkflowExecutionTimeout, request.WorkflowRunTimeout, request.WorkflowTaskTimeout, request.RetryPolicy, attributes) with
            {
                Input = request.Input,
                Header = request.Header,
                Memo = request.Memo,
                UserMetadata = request.UserMetadata,
            };
            var current = _ns.CurrentRun(workflowId);
            if (current is not null && (current.IsRunning || !start.Manual))
            {
                Logger.LogWarning("Schedule {ScheduleId}: workflow id {WorkflowId} is already used; the action is dropped", Id, workflowId);
                return null;
            }

            var run = WorkflowExecution.Create(_ns, parameters);
            return new ScheduleActionResult
            {
                ScheduleTime = Timestamp.FromDateTimeOffset(start.Actual),
                ActualTime = Timestamp.FromDateTimeOffset(run.StartTime),
                StartWorkflowResult = new ProtoExecution { WorkflowId = workflowId, RunId = run.RunId },
                StartWorkflowStatus = WorkflowExecutionStatus.Running,
            };
        }
        catch (RpcException ex)
        {
            Logger.LogWarning("Schedule {ScheduleId}: failed to start {WorkflowId}: {Detail}", Id, workflowId, ex.Status.Detail);
            return null;
        }
    }

    /// <summary>Go's <c>time.RFC3339</c> of a UTC time at second precision: <c>2026-12-04T03:00:00Z</c>.</summary>
    public static string FormatNominalTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static Payload JsonPayload(string json) => new()
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(json),
    };

    internal sealed record DescribeResult(Schedule Schedule, ScheduleInfo Info);

    private sealed record BufferedStart(DateTimeOffset Nominal, DateTimeOffset Actual, ScheduleOverlapPolicy OverlapPolicy, bool Manual);

    private sealed class OverlapResult
    {
        public List<BufferedStart> OverlappingStarts { get; } = [];

        public BufferedStart? NonOverlappingStart { get; set; }

        public List<BufferedStart> NewBuffer { get; } = [];

        public bool NeedCancel { get; set; }

        public bool NeedTerminate { get; set; }

        public long OverlapSkipped { get; set; }
    }
}
