using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Starting;

namespace EventProcessor.Intake;

/// <summary>202: every event has its run (started now, or already there when <c>duplicate</c>).</summary>
public sealed record IntakeAccepted(IReadOnlyList<WorkflowStartResult> Workflows);

/// <summary>400: at least one event is invalid, so none was started.</summary>
public sealed record IntakeRejected(string Error, IReadOnlyList<IntakeRejection> Rejected);

/// <summary>One invalid event of the request; <see cref="Index"/> is its position in the array (0 for a single event).</summary>
public sealed record IntakeRejection(int Index, string? EventId, string? DetailType, RejectionCode Code, string Message, IReadOnlyList<EventProblem> Problems);

/// <summary>503: Temporal is unavailable. <see cref="Started"/> lists the runs started before it failed; resending is safe.</summary>
public sealed record IntakeUnavailable(string Error, IReadOnlyList<WorkflowStartResult> Started);

/// <summary>The intake's JSON contracts; <see cref="Readable"/> leaves quotes unescaped for people reading curl output.</summary>
[JsonSerializable(typeof(IntakeAccepted))]
[JsonSerializable(typeof(IntakeRejected))]
[JsonSerializable(typeof(IntakeUnavailable))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
public sealed partial class IntakeJsonContext : JsonSerializerContext
{
    // Not embedded in HTML, so the default escaping of ' and + only hurts readability.
    public static IntakeJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
