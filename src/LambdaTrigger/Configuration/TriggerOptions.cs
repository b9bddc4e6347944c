using System.ComponentModel.DataAnnotations;
using EventProcessor.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventProcessor.LambdaTrigger.Configuration;

/// <summary>
/// The trigger's own key of section <c>Temporal</c>, <c>StartMarginMilliseconds</c> (only the
/// trigger has an invocation deadline), so it stays out of the shared <see cref="TemporalOptions"/>.
/// Bound and checked like every other section: source-generated binder and validator.
/// </summary>
public sealed class TriggerOptions
{
    /// <summary>Time kept back from the invocation deadline so the error can still be reported in time.</summary>
    public static readonly TimeSpan DefaultStartMargin = TimeSpan.FromMilliseconds(500);

    [Range(0, 59_999)]
    public int? StartMarginMilliseconds { get; set; }

    public TimeSpan StartMargin => StartMarginMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : DefaultStartMargin;

    public static readonly SectionValidator<TriggerOptions> Validator = new(TemporalSettings.SectionName, new TriggerOptionsValidator());

    /// <exception cref="InvalidSettingException">The setting is wrong; the message names it.</exception>
    public static TriggerOptions Read(IConfiguration configuration) =>
        Validator.Read(configuration, static section => section.Get<TriggerOptions>() ?? new TriggerOptions());
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="TriggerOptions"/>.</summary>
[OptionsValidator]
public sealed partial class TriggerOptionsValidator : IValidateOptions<TriggerOptions>;
