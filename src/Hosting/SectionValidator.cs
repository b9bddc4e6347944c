using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventProcessor.Hosting;

/// <summary>
/// The one place a bad setting becomes a message: wraps the validator the options-validation
/// source generator writes for an options class (<c>[OptionsValidator]</c>) and turns each of its
/// failures into a <see cref="SettingProblem"/> of the section, so hosts that validate through
/// dependency injection (<c>ValidateOnStart</c>) and hosts that validate at init (the Lambda
/// trigger) report the same line. Options classes write their messages as the rest of a sentence
/// about the setting (<c>is required: …</c>, <c>must be …</c>); a message that does not (the
/// attributes' defaults) is reported as <c>is invalid: {message}</c>.
/// </summary>
/// <typeparam name="TOptions">The options class of the section.</typeparam>
public sealed partial class SectionValidator<TOptions>(string section, IValidateOptions<TOptions> generated) : IValidateOptions<TOptions>
    where TOptions : class
{
    public string Section { get; } = section ?? throw new ArgumentNullException(nameof(section));

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = Check(options);
        return result.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(result.Select(p => p.ToString()));
    }

    /// <summary>The section's problems; empty when the options are valid.</summary>
    public IReadOnlyList<SettingProblem> Check(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = generated.Validate(Options.DefaultName, options);
        return result.Failed ? (result.Failures ?? [result.FailureMessage]).Select(ToProblem).ToList() : [];
    }

    /// <summary>The options when valid; otherwise <see cref="InvalidSettingException"/> naming every bad setting.</summary>
    public TOptions ThrowIfInvalid(TOptions options)
    {
        var problems = Check(options);
        return problems.Count == 0 ? options : throw new InvalidSettingException(problems);
    }

    /// <summary>
    /// Binds the section with <paramref name="bind"/> (a call the configuration-binding source
    /// generator intercepts at the caller) and validates it; a value that does not convert
    /// (<c>lots</c> for a number) is reported like any other bad setting.
    /// </summary>
    public TOptions Read(IConfiguration configuration, Func<IConfigurationSection, TOptions?> bind)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(bind);
        TOptions? options;
        try
        {
            options = bind(configuration.GetSection(Section));
        }
        catch (InvalidOperationException e) when (SettingBinding.Problem(e) is { } problem)
        {
            throw new InvalidSettingException([problem]);
        }

        return ThrowIfInvalid(options ?? throw new InvalidSettingException(Section, "is missing."));
    }

    // The generated validator reports "Member1, Member2: message" (ValidateOptionsResultBuilder.AddResult).
    // A member is a property path (Tls.CaPath) or, from an options class's own checks of a
    // dictionary or list entry, already a configuration path (Keys:2026-05, Access:Namespaces:0),
    // whose dots belong to the entry's key and are kept.
    private SettingProblem ToProblem(string failure)
    {
        var match = FailureFormat().Match(failure);
        var member = match.Success ? match.Groups["member"].Value : null;
        var message = match.Success ? match.Groups["message"].Value : failure;
        var setting = member is null ? Section
            : member.Contains(':', StringComparison.Ordinal) ? $"{Section}:{member}"
            : $"{Section}:{member.Replace('.', ':')}";
        return new SettingProblem(setting, SettingBinding.AsPredicate(message));
    }

    [GeneratedRegex(@"^(?<member>[A-Za-z0-9_.:\-]+)(, [A-Za-z0-9_.:\-]+)*: (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex FailureFormat();
}

/// <summary>Turns the binder's conversion failures into <see cref="SettingProblem"/>s.</summary>
public static partial class SettingBinding
{
    /// <summary>
    /// The setting a binder's conversion failure names (<c>Failed to convert configuration value
    /// 'lots' at 'Worker:MaxConcurrentActivities' to type 'System.Int32'</c>), or null for another
    /// failure. Only typed settings fail to convert, and none of those is a secret, so the value is quoted.
    /// </summary>
    public static SettingProblem? Problem(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var match = ConversionFailure().Match(exception.Message);
        return match.Success
            ? new SettingProblem(match.Groups["path"].Value, $"must be {Kind(match.Groups["type"].Value)}, not '{match.Groups["value"].Value}'.")
            : null;
    }

    /// <summary>
    /// A message written as the rest of a sentence about the setting is kept. The attributes'
    /// default messages ("The field JiraOptions.TimeoutSeconds must be between 1 and 300.", "The
    /// JiraOptions.Email field is required.") lose their subject, which the line names already; any
    /// other message is introduced by "is invalid:".
    /// </summary>
    public static string AsPredicate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (DefaultMessage().Match(message) is { Success: true } match)
        {
            message = match.Groups["rest"].Value;
        }

        return message.Length > 0 && char.IsLower(message[0]) ? message : $"is invalid: {message}";
    }

    [GeneratedRegex(@"^The (?:field \S+|\S+ field) (?<rest>(?:is|must) .*)$", RegexOptions.Singleline)]
    private static partial Regex DefaultMessage();

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30",
        "System.Uri" => "a URL",
        "System.Double" or "System.Decimal" => "a number",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>.*)' )?at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}

/// <summary>Registration of a section validated when the host starts.</summary>
public static class SectionOptions
{
    /// <summary>
    /// Validates the options with <paramref name="validator"/> when the host starts
    /// (<c>ValidateOnStart</c>), so a bad setting stops the process naming it rather than failing
    /// on the first event. Bind the section before, at the call site, where the binding source
    /// generator can see the options type.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateWith<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> builder, SectionValidator<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(validator);
        return builder.ValidateOnStart();
    }
}
