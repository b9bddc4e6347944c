using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;

namespace EventProcessor.EmbeddedTemporal.Tests;

/// <summary>History checks every test can make: contiguous ids, matching attributes, event times.</summary>
public static class HistoryAssert
{
    public static async Task<IReadOnlyList<HistoryEvent>> WellFormedAsync(WorkflowHandle handle)
    {
        var history = await handle.FetchHistoryAsync();
        var events = history.Events.ToList();
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i + 1, events[i].EventId);
            Assert.NotEqual(EventType.Unspecified, events[i].EventType);
            Assert.NotNull(events[i].EventTime);
            Assert.NotEqual(HistoryEvent.AttributesOneofCase.None, events[i].AttributesCase);
        }

        Assert.Equal(EventType.WorkflowExecutionStarted, events[0].EventType);
        return events;
    }

    public static int Count(IEnumerable<HistoryEvent> events, EventType type) => events.Count(e => e.EventType == type);
}
