using EventProcessor.Hosting;
using Google.Protobuf;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using EventProcessor.Encryption;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace EventProcessor.CodecServer;

/// <summary>
/// <c>POST /encode</c> and <c>POST /decode</c> of Temporal's codec-server protocol: the body and
/// the answer are <c>temporal.api.common.v1.Payloads</c> in protobuf's JSON form. Bad JSON and
/// payloads that do not decrypt get 400 with a reason that never quotes the body. Logs carry the
/// operation, the namespace, the payload count and the caller (token name, or the user's email
/// or subject), never payload contents or tokens.
/// </summary>
internal static partial class CodecEndpoints
{
    public static IEndpointRouteBuilder MapCodecEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/encode", (HttpContext context, IPayloadCodec codec, CodecServerSettings settings, ILogger<CodecRequestLog> log) =>
            ApplyAsync(context, "encode", codec.EncodeAsync, settings, log)).RequireAuthorization(CodecAccess.Policy);
        endpoints.MapPost("/decode", (HttpContext context, IPayloadCodec codec, CodecServerSettings settings, ILogger<CodecRequestLog> log) =>
            ApplyAsync(context, "decode", codec.DecodeAsync, settings, log)).RequireAuthorization(CodecAccess.Policy);
        // Liveness as a health check (src/Hosting Probes), like the worker's; the load balancer calls it without a token.
        endpoints.MapHealthChecks(Probes.LivenessPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(Probes.Live),
            ResponseWriter = static (context, report) =>
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync(Probes.Describe(report), context.RequestAborted);
            },
        }).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> ApplyAsync(
        HttpContext context,
        string operation,
        Func<IReadOnlyCollection<Payload>, Task<IReadOnlyCollection<Payload>>> apply,
        CodecServerSettings settings,
        ILogger<CodecRequestLog> log)
    {
        // Only requests CodecAccess allowed get here; the line below is the audit trail of who read what.
        var ns = CodecAccess.Namespace(context.Request);
        var caller = CodecAccess.Caller(context.User, settings.Jwt);
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            LogRefused(log, operation, ns, caller, "the content type is not application/json");
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        Payloads input;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            input = JsonParser.Default.Parse<Payloads>(await reader.ReadToEndAsync(context.RequestAborted));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException)
        {
            // The parser's message can quote the body, so neither the answer nor the log repeats it.
            LogRefused(log, operation, ns, caller, $"the body is not Payloads JSON ({ex.GetType().Name})");
            return Results.Json(new CodecError("The body is not temporal.api.common.v1.Payloads in protobuf JSON form."), statusCode: StatusCodes.Status400BadRequest);
        }

        IReadOnlyCollection<Payload> output;
        try
        {
            output = await apply(input.Payloads_);
        }
        catch (PayloadDecryptionException ex)
        {
            LogRefused(log, operation, ns, caller, ex.Message);
            return Results.Json(new CodecError(ex.Message), statusCode: StatusCodes.Status400BadRequest);
        }

        LogServed(log, operation, input.Payloads_.Count, ns, caller);
        return Results.Text(JsonFormatter.Default.Format(new Payloads { Payloads_ = { output } }), "application/json");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Operation} of {Count} payloads for namespace '{Namespace}' by {Caller}")]
    private static partial void LogServed(ILogger logger, string operation, int count, string @namespace, string caller);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Operation} refused for namespace '{Namespace}' by {Caller}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string operation, string @namespace, string caller, string reason);
}

/// <summary>The body of a 400 answer.</summary>
internal sealed record CodecError(string Error);

/// <summary>Category of the codec request log.</summary>
internal sealed class CodecRequestLog;
