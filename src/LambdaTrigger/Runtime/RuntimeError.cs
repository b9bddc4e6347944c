using System.Text.Json.Serialization;

namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>
/// The error document of the Runtime API's <c>error</c> and <c>init/error</c> calls. Its
/// <see cref="ErrorType"/> is also sent as <c>Lambda-Runtime-Function-Error-Type</c>.
/// </summary>
public sealed record RuntimeError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? StackTrace = null)
{
    /// <summary>The event can never succeed; Lambda's retries and then the DLQ take it.</summary>
    public const string PoisonEvent = "PoisonEvent";

    /// <summary>The event is fine but Temporal was unavailable or too slow; Lambda retries.</summary>
    public const string TransientError = "TransientError";

    /// <summary>Init failed because a setting is missing or wrong.</summary>
    public const string InvalidConfiguration = "InvalidConfiguration";

    /// <summary>An unexpected failure, typed by its exception as Lambda's managed runtimes do.</summary>
    public static RuntimeError FromUnexpected(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var lines = exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new RuntimeError(exception.Message, exception.GetType().FullName ?? exception.GetType().Name, lines);
    }
}

/// <summary>Source-generated JSON for the runtime's own documents: no reflection on the cold-start path.</summary>
[JsonSerializable(typeof(RuntimeError))]
[JsonSerializable(typeof(Starting.WorkflowStartResult))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
