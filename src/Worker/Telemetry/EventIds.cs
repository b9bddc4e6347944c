using EventProcessor.Events.Catalog;

namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// Recovers the event id and detail-type from a run. Workflow ids are <c>{ShortName}-{event id}</c>
/// by the catalog's rule, so no header or input decoding is needed, and activities learn them too.
/// </summary>
internal static class EventIds
{
    public static string DetailTypeOf(string workflowType) =>
        EventCatalog.TryGetByWorkflowType(workflowType, out var definition) ? definition.DetailType : workflowType;

    public static string? EventIdOf(string workflowType, string workflowId)
    {
        if (!EventCatalog.TryGetByWorkflowType(workflowType, out var definition))
        {
            return null;
        }

        var prefix = definition.WorkflowId(string.Empty);
        return workflowId.StartsWith(prefix, StringComparison.Ordinal) ? workflowId[prefix.Length..] : null;
    }
}
