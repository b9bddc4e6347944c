using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Worker.Configuration;

/// <summary>Configuration section <c>Worker</c>: shutdown and tuning of the Temporal worker.</summary>
public sealed record WorkerSettings(
    TimeSpan ShutdownTimeout,
    int MaxConcurrentActivities,
    int MaxConcurrentWorkflowTasks,
    int MaxConcurrentLocalActivities,
    int WorkflowTaskPollers,
    int ActivityTaskPollers,
    int MaxCachedWorkflows)
{
    public const string SectionName = "Worker";

    // Activities are I/O-bound HTTP and SMTP calls, so many fit on one process; the SDK's own
    // defaults (100/100/5/5) are kept except where the product's load shape says otherwise.
    public static WorkerSettings Defaults { get; } = new(
        ShutdownTimeout: TimeSpan.FromSeconds(30),
        MaxConcurrentActivities: 100,
        MaxConcurrentWorkflowTasks: 100,
        MaxConcurrentLocalActivities: 100,
        WorkflowTaskPollers: 5,
        ActivityTaskPollers: 5,
        MaxCachedWorkflows: 1000);

    /// <summary>Reads and checks the section; a bad value throws naming the setting.</summary>
    public static WorkerSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var d = Defaults;
        return new WorkerSettings(
            TimeSpan.FromSeconds(Int(section, "ShutdownTimeoutSeconds", (int)d.ShutdownTimeout.TotalSeconds, 0, 3600)),
            Int(section, "MaxConcurrentActivities", d.MaxConcurrentActivities, 1, 10_000),
            Int(section, "MaxConcurrentWorkflowTasks", d.MaxConcurrentWorkflowTasks, 2, 10_000),
            Int(section, "MaxConcurrentLocalActivities", d.MaxConcurrentLocalActivities, 1, 10_000),
            // The SDK refuses fewer than two workflow pollers (one is kept for the sticky queue).
            Int(section, "WorkflowTaskPollers", d.WorkflowTaskPollers, 2, 100),
            Int(section, "ActivityTaskPollers", d.ActivityTaskPollers, 1, 100),
            Int(section, "MaxCachedWorkflows", d.MaxCachedWorkflows, 0, 100_000));
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new WorkerConfigurationException($"{SectionName}:{key}", $"must be a whole number from {min} to {max}, not '{text}'.");
    }
}
