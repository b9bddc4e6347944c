using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Tests.Support;

/// <summary>A request the runtime sent to the fake Runtime API, as received.</summary>
internal sealed record RuntimeRequest(string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Lambda's side of the Runtime API on loopback: hands out queued invocations to <c>next</c> (a
/// real long poll) and records everything the runtime posts, so tests assert the exact requests.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    /// <summary>
    /// How long a wait may last before the test is declared hung. Not a timing assertion: a child
    /// bootstrap process starting on a loaded 2-core machine took over 15 s, so the guard is generous.
    /// </summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private const string Prefix = "/2018-06-01/runtime";
    private readonly Channel<(string RequestId, DateTimeOffset Deadline, string? TraceId, byte[] Payload)> invocations = Channel.CreateUnbounded<(string, DateTimeOffset, string?, byte[])>();
    private readonly Channel<RuntimeRequest> posts = Channel.CreateUnbounded<RuntimeRequest>();
    private readonly WebApplication app;
    private int nextCalls;

    private FakeRuntimeApi(WebApplication app) => this.app = app;

    /// <summary>host:port, as Lambda puts it in AWS_LAMBDA_RUNTIME_API.</summary>
    public string RuntimeApi { get; private set; } = string.Empty;

    public const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:event-trigger";

    public int NextCalls => Volatile.Read(ref nextCalls);

    /// <summary>When set, <c>next</c> answers 500, as Lambda does when the environment is broken.</summary>
    public bool BreakNext { get; set; }

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeRuntimeApi(app);
        app.MapGet(Prefix + "/invocation/next", fake.NextAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/response", fake.RecordAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/error", fake.RecordAsync);
        app.MapPost(Prefix + "/init/error", fake.RecordAsync);
        app.MapFallback(async context =>
        {
            await fake.RecordAsync(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.RuntimeApi = new Uri(address).Authority;
        return fake;
    }

    /// <summary>Queues an invocation; returns its request id.</summary>
    public string Enqueue(byte[] payload, DateTimeOffset deadline, string? traceId = null)
    {
        var requestId = Guid.NewGuid().ToString();
        invocations.Writer.TryWrite((requestId, deadline, traceId, payload));
        return requestId;
    }

    /// <summary>The next request the runtime posted (response, error or init error).</summary>
    public async Task<RuntimeRequest> NextPostAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? HangGuard);
        return await posts.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Whatever was posted so far, without waiting.</summary>
    public IReadOnlyList<RuntimeRequest> DrainPosts()
    {
        var list = new List<RuntimeRequest>();
        while (posts.Reader.TryRead(out var request))
        {
            list.Add(request);
        }

        return list;
    }

    /// <summary>Waits until the runtime has called <c>next</c> at least <paramref name="count"/> times.</summary>
    public Task WaitForNextCallsAsync(int count) =>
        EventProcessor.TestSupport.Eventually.Async(() => NextCalls >= count, HangGuard, $"{count} next call(s)");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref nextCalls);
        if (BreakNext)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var (requestId, deadline, traceId, payload) = await invocations.Reader.ReadAsync(context.RequestAborted);
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = requestId;
        headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        if (traceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = traceId;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(payload, context.RequestAborted);
    }

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        posts.Writer.TryWrite(new RuntimeRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.ContentType, headers, body));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
