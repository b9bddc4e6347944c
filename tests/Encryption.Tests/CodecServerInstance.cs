using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using EventProcessor.CodecServer;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Common.V1;

namespace EventProcessor.Encryption.Tests;

/// <summary>The real codec server on a free loopback port, with its log lines captured.</summary>
internal sealed class CodecServerInstance : IAsyncDisposable
{
    private readonly WebApplication app;

    private CodecServerInstance(WebApplication app, LogCapture logs)
    {
        this.app = app;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.Single());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public LogCapture Logs { get; }

    /// <param name="time">The clock of the key cache, when a test moves time on rather than waiting.</param>
    public static async Task<CodecServerInstance> StartAsync(IEnumerable<(string Key, string? Value)> settings, TimeProvider? time = null)
    {
        var logs = new LogCapture();
        var app = CodecServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        return new CodecServerInstance(app, logs);
    }

    /// <summary>POSTs payloads in the codec protocol's JSON form, as Temporal UI and the CLI do.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<Payload> payloads, string? bearer, string ns = "default")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonFormatter.Default.Format(new Payloads { Payloads_ = { payloads } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Namespace", ns);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }

    public static async Task<IReadOnlyList<Payload>> ReadPayloadsAsync(HttpResponseMessage response) =>
        JsonParser.Default.Parse<Payloads>(await response.Content.ReadAsStringAsync()).Payloads_;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Every log line (message and exception) the server writes.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public string All => string.Join('\n', lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {Values(state)}");

        // Structured values too: a sink may store them even where the message template leaves them out.
        private static string Values<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
    }
}
