using EventProcessor.Events.Payloads;
using EventProcessor.Workflows.Notifications;
using Temporalio.Workflows;

namespace EventProcessor.Workflows.Delivery;

/// <summary>
/// Tells the frontend a run's data is on its way: <c>report-delivery-initiated</c> with
/// <c>{reportId, runId, destination, status: "delivering", seq}</c> (absolute values, safe to receive
/// twice).
/// </summary>
[Workflow]
public sealed class ReportDeliveryInitiatedEventWorkflow : IEventWorkflow<ReportDeliveryInitiatedDetail>
{
    [WorkflowRun]
    public Task<Pushed> RunAsync(EventInput<ReportDeliveryInitiatedDetail> input)
    {
        var detail = input.Detail;
        var seq = FrontendPush.SeqOf(input.Time);
        return FrontendPush.ToProjectAsync(
            detail.ProjectUuid,
            "report-delivery-initiated",
            seq,
            new { detail.ReportId, detail.RunId, detail.Destination, status = "delivering", seq },
            $"run {detail.RunId}");
    }
}
