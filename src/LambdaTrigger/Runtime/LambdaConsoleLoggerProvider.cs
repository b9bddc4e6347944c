using System.Text;
using Microsoft.Extensions.Logging;

namespace EventProcessor.LambdaTrigger.Runtime;

/// <summary>
/// One line per entry on stdout, which Lambda ships to CloudWatch. Written synchronously and
/// without the DI/options machinery of the console logger: that machinery costs a cold start
/// more time than the whole runtime loop, and a frozen process must not hold unwritten entries.
/// </summary>
public sealed class LambdaConsoleLoggerProvider : ILoggerProvider
{
    private readonly TextWriter output;
    private readonly LogLevel minimum;
    private readonly Lock gate = new();

    public LambdaConsoleLoggerProvider(LogLevel minimum = LogLevel.Information, TextWriter? output = null)
    {
        this.minimum = minimum;
        this.output = output ?? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() => output.Flush();

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = new StringBuilder(message.Length + 64)
            .Append(Level(level)).Append(' ').Append(category).Append(": ")
            .Append(message.ReplaceLineEndings(" "));
        if (exception is not null)
        {
            line.Append(" | ").Append(exception.ToString().ReplaceLineEndings(" | "));
        }

        lock (gate)
        {
            output.WriteLine(line.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    private sealed class Logger(LambdaConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
