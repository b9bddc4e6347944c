using System.Runtime.InteropServices;
using System.Text.Json;
using EventProcessor.Events.Validation;
using EventProcessor.LambdaTrigger.Starting;
using Microsoft.AspNetCore.Http;

namespace EventProcessor.Intake;

/// <summary>
/// <c>POST /events</c>: one EventBridge event or a JSON array of them. All are validated before
/// any is started, so a 400 means nothing was started; starts are idempotent, so after a 503 the
/// whole request can be sent again.
/// </summary>
internal static class EventIntakeEndpoint
{
    private const int RetryAfterSeconds = 5;

    public static async Task<IResult> HandleAsync(HttpRequest request, TriggerHandler handler, EventIntakeOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Results.Json(
                new IntakeRejected($"The request body is over {options.MaxBodyBytes} bytes.", []),
                IntakeJsonContext.Readable.IntakeRejected, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var events = SplitEvents(body);
        if (events.Count == 0)
        {
            return Results.Json(new IntakeRejected("The request holds no event: send one event or a non-empty JSON array.", []),
                IntakeJsonContext.Readable.IntakeRejected, statusCode: StatusCodes.Status400BadRequest);
        }

        var parsed = new List<ParsedEvent>(events.Count);
        var rejected = new List<IntakeRejection>();
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                parsed.Add(handler.Validate(events[i]));
            }
            catch (EventValidationException e)
            {
                rejected.Add(new IntakeRejection(i, e.EventId, e.DetailType, e.Code, e.Message, e.Problems));
            }
        }

        if (rejected.Count > 0)
        {
            var error = $"{rejected.Count} of {events.Count} event(s) rejected; none was started.";
            return Results.Json(new IntakeRejected(error, rejected), IntakeJsonContext.Readable.IntakeRejected, statusCode: StatusCodes.Status400BadRequest);
        }

        var deadline = time.GetUtcNow() + options.StartTimeout;
        var started = new List<WorkflowStartResult>(parsed.Count);
        foreach (var parsedEvent in parsed)
        {
            try
            {
                started.Add(await handler.StartAsync(parsedEvent, deadline, cancellationToken).ConfigureAwait(false));
            }
            catch (WorkflowNotStartedException e)
            {
                request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(new IntakeUnavailable(e.Message, started), IntakeJsonContext.Readable.IntakeUnavailable,
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }

        return Results.Json(new IntakeAccepted(started), IntakeJsonContext.Readable.IntakeAccepted, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The raw bytes of each event: the array's elements, or the whole body as one event (invalid JSON included, so the parser names the problem).</summary>
    private static List<ReadOnlyMemory<byte>> SplitEvents(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                return [.. document.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)JsonMarshal.GetRawUtf8Value(e).ToArray())];
            }
        }
        catch (JsonException)
        {
            // Not JSON: handed to the parser as one event, which rejects it as MalformedJson.
        }

        return [body];
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
