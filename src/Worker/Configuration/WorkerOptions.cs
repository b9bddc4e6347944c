using System.ComponentModel.DataAnnotations;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventProcessor.Worker.Configuration;

/// <summary>
/// Configuration section <c>Worker</c>: shutdown and tuning of the Temporal worker, bound by the
/// configuration-binding source generator and checked by <see cref="WorkerOptionsValidator"/>.
/// </summary>
/// <remarks>
/// Activities are I/O-bound HTTP and SMTP calls, so many fit on one process; the SDK's own
/// defaults (100/100/5/5) are kept except where the product's load shape says otherwise. The
/// generated validator ignores a custom message on <c>[Range]</c>, so a bad value reads "must be
/// between {min} and {max}" (src/Hosting SectionValidator drops the attribute's subject).
/// </remarks>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    [Range(0, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    [Range(2, 10_000)]
    public int MaxConcurrentWorkflowTasks { get; set; } = 100;

    [Range(1, 10_000)]
    public int MaxConcurrentLocalActivities { get; set; } = 100;

    /// <summary>The SDK refuses fewer than two workflow pollers (one is kept for the sticky queue).</summary>
    [Range(2, 100)]
    public int WorkflowTaskPollers { get; set; } = 5;

    [Range(1, 100)]
    public int ActivityTaskPollers { get; set; } = 5;

    [Range(0, 100_000)]
    public int MaxCachedWorkflows { get; set; } = 1000;

    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);

    public static readonly SectionValidator<WorkerOptions> Validator = new(SectionName, new WorkerOptionsValidator());

    /// <summary>Reads and checks the section; a bad value throws naming the setting.</summary>
    /// <exception cref="InvalidSettingException">A setting is wrong; the message names it.</exception>
    public static WorkerOptions Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<WorkerOptions>() ?? new WorkerOptions());
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="WorkerOptions"/>.</summary>
[OptionsValidator]
public sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;
