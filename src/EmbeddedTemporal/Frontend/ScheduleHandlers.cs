using System.Globalization;
using EventProcessor.EmbeddedTemporal.Schedules;
using EventProcessor.EmbeddedTemporal.State;
using Google.Protobuf;
using Grpc.Core;
using Temporalio.Api.Schedule.V1;
using Temporalio.Api.WorkflowService.V1;

namespace EventProcessor.EmbeddedTemporal.Frontend;

/// <summary>
/// The schedule RPCs (CreateSchedule, DescribeSchedule, UpdateSchedule, PatchSchedule, DeleteSchedule,
/// ListSchedules, ListScheduleMatchingTimes), checked as the server's frontend checks them
/// (service/frontend/workflow_handler.go) and run by <see cref="ScheduleInstance"/>.
/// </summary>
internal sealed class ScheduleHandlers(ServerContext server)
{
    /// <summary>The timestamp the frontend appends to a workflow id when checking its length (workflow.go <c>AppendedTimestampForValidation</c>).</summary>
    private const string AppendedTimestampForValidation = "-2009-11-10T23:00:00Z";

    public Task<CreateScheduleResponse> CreateSchedule(CreateScheduleRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        var (schedule, spec) = Validate(ns, request.Schedule);
        var searchAttributes = ValidateSearchAttributes(ns, request.SearchAttributes);
        lock (ns.Sync)
        {
            if (ns.Schedules.TryGetValue(id, out var existing))
            {
                if (request.RequestId.Length > 0 && existing.RequestId == request.RequestId)
                {
                    // The same create again (a client retry).
                    return Task.FromResult(new CreateScheduleResponse { ConflictToken = existing.ConflictTokenBytes });
                }

                throw RpcErrors.AlreadyExists("schedule with this ID is already registered");
            }

            var instance = new ScheduleInstance(ns, id, request.RequestId, schedule, spec, request.Memo, searchAttributes);
            ns.Schedules[id] = instance;
            instance.Start(request.InitialPatch);
            return Task.FromResult(new CreateScheduleResponse { ConflictToken = instance.ConflictTokenBytes });
        }
    }

    public Task<DescribeScheduleResponse> DescribeSchedule(DescribeScheduleRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        lock (ns.Sync)
        {
            var instance = Find(ns, id);
            var (schedule, info) = instance.Describe();
            return Task.FromResult(new DescribeScheduleResponse
            {
                Schedule = schedule,
                Info = info,
                Memo = instance.Memo?.Clone(),
                SearchAttributes = instance.SearchAttributes?.Clone(),
                ConflictToken = instance.ConflictTokenBytes,
            });
        }
    }

    public Task<UpdateScheduleResponse> UpdateSchedule(UpdateScheduleRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        var (schedule, spec) = Validate(ns, request.Schedule);
        var searchAttributes = request.SearchAttributes is null ? null : ValidateSearchAttributes(ns, request.SearchAttributes) ?? new Temporalio.Api.Common.V1.SearchAttributes();
        lock (ns.Sync)
        {
            var instance = Find(ns, id);
            instance.Update(schedule, spec, ScheduleInstance.DecodeConflictToken(request.ConflictToken), searchAttributes);
            return Task.FromResult(new UpdateScheduleResponse());
        }
    }

    public Task<PatchScheduleResponse> PatchSchedule(PatchScheduleRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        if (request.Patch is null)
        {
            throw RpcErrors.InvalidArgument("Patch is not set on request.");
        }

        lock (ns.Sync)
        {
            Find(ns, id).Patch(request.Patch);
            return Task.FromResult(new PatchScheduleResponse());
        }
    }

    public Task<DeleteScheduleResponse> DeleteSchedule(DeleteScheduleRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        lock (ns.Sync)
        {
            Find(ns, id).Delete();
            ns.Schedules.Remove(id);
            return Task.FromResult(new DeleteScheduleResponse());
        }
    }

    public Task<ListScheduleMatchingTimesResponse> ListScheduleMatchingTimes(ListScheduleMatchingTimesRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        var id = ScheduleId(request.ScheduleId);
        if (request.StartTime is null || request.EndTime is null)
        {
            throw RpcErrors.InvalidArgument("missing or invalid query");
        }

        lock (ns.Sync)
        {
            var response = new ListScheduleMatchingTimesResponse();
            response.StartTime.AddRange(Find(ns, id).MatchingTimes(request.StartTime.ToDateTimeOffset(), request.EndTime.ToDateTimeOffset()));
            return Task.FromResult(response);
        }
    }

    /// <summary>
    /// Every schedule of the namespace, newest first (as visibility lists the scheduler workflows), a
    /// page at a time; memo and search attributes are the ones given at create or update, and the info
    /// is the list view of <see cref="ScheduleInstance.ListInfo"/>. A real server lists from visibility,
    /// a moment behind; this list is current. A query filter is not supported (UNIMPLEMENTED).
    /// </summary>
    public Task<ListSchedulesResponse> ListSchedules(ListSchedulesRequest request, ServerCallContext context)
    {
        var ns = Requests.Namespace(server, request.Namespace);
        if (!string.IsNullOrWhiteSpace(request.Query))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "ListSchedules with a query is not supported by the embedded Temporal server."));
        }

        var pageSize = request.MaximumPageSize is <= 0 or > 1000 ? 1000 : request.MaximumPageSize;
        var offset = 0;
        if (!request.NextPageToken.IsEmpty && !int.TryParse(request.NextPageToken.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw RpcErrors.InvalidArgument("Invalid NextPageToken.");
        }

        lock (ns.Sync)
        {
            var all = ns.Schedules.Values
                .OrderByDescending(s => s.Info.CreateTime.ToDateTimeOffset())
                .ThenBy(s => s.Id, StringComparer.Ordinal)
                .ToList();
            var response = new ListSchedulesResponse();
            foreach (var schedule in all.Skip(offset).Take(pageSize))
            {
                response.Schedules.Add(new ScheduleListEntry
                {
                    ScheduleId = schedule.Id,
                    Memo = schedule.Memo?.Clone(),
                    SearchAttributes = schedule.SearchAttributes?.Clone(),
                    Info = schedule.ListInfo(),
                });
            }

            if (offset + pageSize < all.Count)
            {
                response.NextPageToken = ByteString.CopyFromUtf8((offset + pageSize).ToString(CultureInfo.InvariantCulture));
            }

            return Task.FromResult(response);
        }
    }

    private static string ScheduleId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw RpcErrors.InvalidArgument("ScheduleId is not set on request.");
        }

        return id.Length <= Requests.MaxIdLength ? id : throw RpcErrors.InvalidArgument("ScheduleId exceeds length limit.");
    }

    private static ScheduleInstance Find(TemporalNamespace ns, string id) =>
        ns.Schedules.TryGetValue(id, out var instance) ? instance : throw RpcErrors.NotFound($"schedule {id} not found");

    /// <summary>
    /// The checks of the frontend's <c>validateStartWorkflowArgsForSchedule</c> and the spec builder:
    /// a start-workflow action with a workflow id (short enough to take the appended time), type and
    /// task queue, valid timeouts and retry policy, and a spec that compiles.
    /// </summary>
    private static (Schedule Schedule, CompiledSpec Spec) Validate(TemporalNamespace ns, Schedule? schedule)
    {
        if (schedule is null)
        {
            throw RpcErrors.InvalidArgument("Schedule is not set on request.");
        }

        var copy = schedule.Clone();
        var start = copy.Action?.StartWorkflow ?? throw RpcErrors.InvalidArgument("Schedule action is not set: only start_workflow actions are supported.");
        Requests.WorkflowId(start.WorkflowId);
        if ((start.WorkflowId + AppendedTimestampForValidation).Length > Requests.MaxIdLength)
        {
            throw RpcErrors.InvalidArgument("WorkflowId exceeds length limit.");
        }

        if (string.IsNullOrEmpty(start.WorkflowType?.Name))
        {
            throw RpcErrors.InvalidArgument("WorkflowType is not set on request.");
        }

        Requests.TaskQueue(start.TaskQueue);
        Requests.Timeout(start.WorkflowExecutionTimeout, "WorkflowExecutionTimeout");
        Requests.Timeout(start.WorkflowRunTimeout, "WorkflowRunTimeout");
        Requests.Timeout(start.WorkflowTaskTimeout, "WorkflowTaskTimeout");
        if (RetryPolicies.Validate(start.RetryPolicy) is { } retryError)
        {
            throw RpcErrors.InvalidArgument(retryError);
        }

        if (!string.IsNullOrEmpty(start.CronSchedule))
        {
            throw RpcErrors.InvalidArgument("CronSchedule is not allowed in a schedule's start workflow action.");
        }

        // The action's search attributes are checked now, so a bad one fails the create, not each start.
        ns.SearchAttributes.Validate(start.SearchAttributes);

        var (canonical, compiled) = ScheduleSpecCompiler.Compile(copy.Spec);
        copy.Spec = canonical;
        return (copy, compiled);
    }

    private static Temporalio.Api.Common.V1.SearchAttributes? ValidateSearchAttributes(TemporalNamespace ns, Temporalio.Api.Common.V1.SearchAttributes? attributes)
    {
        if (attributes is null || attributes.IndexedFields.Count == 0)
        {
            return null;
        }

        var validated = ns.SearchAttributes.Validate(attributes);
        var result = new Temporalio.Api.Common.V1.SearchAttributes();
        foreach (var (name, payload) in validated)
        {
            if (payload is not null)
            {
                result.IndexedFields[name] = payload;
            }
        }

        return result;
    }
}
