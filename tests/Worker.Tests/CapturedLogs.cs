using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventProcessor.Worker.Tests;

/// <summary>One log line as a JSON console would carry it: message, exception, and the scope values in force.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyDictionary<string, object?> Scope)
{
    /// <summary>Everything a log sink would store, for secret scans.</summary>
    public string AllText => string.Join('\n', [Category, Message, Exception ?? string.Empty, .. Scope.Select(s => $"{s.Key}={s.Value}")]);
}

/// <summary>Records every log line with its scopes, the way the JSON console formatter sees them.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner.scopes.ForEachScope(
                (value, bag) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            bag[key] = item;
                        }
                    }
                    else if (value is IEnumerable<KeyValuePair<string, object>> plain)
                    {
                        foreach (var (key, item) in plain)
                        {
                            bag[key] = item;
                        }
                    }
                    else
                    {
                        bag[$"scope{bag.Count}"] = value?.ToString();
                    }
                },
                scope);
            if (state is IEnumerable<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, item) in fields)
                {
                    scope[$"state.{key}"] = item;
                }
            }

            owner.entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception?.ToString(), scope));
        }
    }
}
