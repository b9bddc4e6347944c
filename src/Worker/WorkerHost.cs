using EventProcessor.Encryption;
using EventProcessor.Hosting;
using EventProcessor.Worker.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Temporalio.Extensions.Hosting;

namespace EventProcessor.Worker;

/// <summary>The worker executable: configuration from appsettings.json and environment variables (<c>Jira__ApiToken</c>).</summary>
public static partial class WorkerHost
{
    /// <exception cref="InvalidSettingException">A <c>Temporal:*</c>, <c>Worker:*</c> or <c>Encryption:*</c> setting is wrong.</exception>
    public static WebApplication Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.AddWorkerJsonConsole();
        builder.Services.AddEventProcessorWorker(builder.Configuration);
        var app = builder.Build();
        app.MapWorkerEndpoints();

        // Encryption off must be visible in the log, since nothing else shows that payloads are stored as plaintext.
        LogEncryption(app.Logger, app.Services.GetRequiredService<EncryptionSettings>().Describe());
        return app;
    }

    /// <summary>Runs until SIGTERM/Ctrl+C; 1 with a message naming the setting when the configuration is wrong.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            await using var app = Build(args);
            var workers = app.Services.GetServices<IHostedService>().OfType<TemporalWorkerService>().ToList();
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (WorkerFailure(workers) is not null)
            {
                // The worker failed so fast that it stopped the host while the host was still starting.
            }

            // A worker that failed (e.g. Temporal unreachable at start) stops the host normally;
            // the exit code must still tell the orchestrator that it did not stop on request.
            if (WorkerFailure(workers) is { } failed)
            {
                await error.WriteLineAsync($"worker: stopped: {failed.Message}").ConfigureAwait(false);
                return 2;
            }

            return 0;
        }
        catch (Exception e) when (ConfigurationProblem(e) is { } message)
        {
            await error.WriteLineAsync($"worker: invalid configuration:{Environment.NewLine}  {message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static Exception? WorkerFailure(IEnumerable<TemporalWorkerService> workers) =>
        workers.Select(w => w.ExecuteTask?.Exception?.GetBaseException()).FirstOrDefault(e => e is not null);

    /// <summary>
    /// Every problem of a configuration error, one per line, whichever layer found it (the
    /// readers of <c>Temporal</c>, <c>Worker</c> and <c>Encryption</c>, or the integrations' options validated at
    /// start, which report all bad sections at once); null for other failures.
    /// </summary>
    public static string? ConfigurationProblem(Exception exception)
    {
        var problems = SettingProblems.Of(exception);
        return problems.Count == 0 ? null : string.Join(Environment.NewLine + "  ", problems);
    }

    [LoggerMessage(3, LogLevel.Information, "{Encryption}")]
    private static partial void LogEncryption(ILogger logger, string encryption);
}
