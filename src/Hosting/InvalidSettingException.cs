namespace EventProcessor.Hosting;

/// <summary>
/// One or more settings are missing or wrong: the one way every host reports a bad setting. Each
/// problem names the setting as configuration key and as environment variable, e.g.
/// <c>Temporal:Address (environment variable Temporal__Address) is required: …</c>.
/// </summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException(string setting, string problem)
        : this([new SettingProblem(setting, problem)])
    {
    }

    public InvalidSettingException(IReadOnlyList<SettingProblem> problems)
        : base(string.Join(Environment.NewLine, (problems ?? throw new ArgumentNullException(nameof(problems))).Select(p => p.ToString())))
    {
        Problems = problems.Count > 0 ? problems : throw new ArgumentException("A bad-setting error names at least one setting.", nameof(problems));
        Setting = problems[0].Setting;
    }

    public InvalidSettingException()
        : this("(unknown)", "is invalid")
    {
    }

    public InvalidSettingException(string message)
        : base(message)
    {
        Setting = string.Empty;
        Problems = [];
    }

    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = string.Empty;
        Problems = [];
    }

    /// <summary>The first setting at fault as configuration key, e.g. <c>Temporal:Address</c>.</summary>
    public string Setting { get; }

    /// <summary>Every setting at fault, in the order found.</summary>
    public IReadOnlyList<SettingProblem> Problems { get; }
}

/// <summary>What is wrong with one setting; <see cref="ToString"/> is the line a host prints.</summary>
/// <param name="Setting">The configuration key, e.g. <c>Temporal:Tls:CaPath</c>.</param>
/// <param name="Problem">What is wrong, as the rest of a sentence starting with the setting, e.g. <c>is required: …</c>.</param>
public sealed record SettingProblem(string Setting, string Problem)
{
    /// <summary>The environment variable that sets <see cref="Setting"/>: <c>Temporal__Tls__CaPath</c>.</summary>
    public string EnvironmentVariable => Setting.Replace(":", "__", StringComparison.Ordinal);

    public override string ToString() => $"{Setting} (environment variable {EnvironmentVariable}) {Problem}";
}

/// <summary>Finds the bad settings in whatever a host's start threw.</summary>
public static class SettingProblems
{
    /// <summary>
    /// Every bad setting an exception reports, whichever layer found it: a section read at init
    /// (<see cref="InvalidSettingException"/>), options validated when the host starts (their
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> failures are already
    /// lines of <see cref="SectionValidator{TOptions}"/>), or a value the binder could not convert.
    /// Empty for any other failure.
    /// </summary>
    public static IReadOnlyList<string> Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            InvalidSettingException { Problems.Count: > 0 } invalid => invalid.Problems.Select(p => p.ToString()).ToList(),
            InvalidSettingException invalid => [invalid.Message],
            Microsoft.Extensions.Options.OptionsValidationException options => options.Failures.ToList(),
            AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Of).ToList(),
            InvalidOperationException when SettingBinding.Problem(exception) is { } problem => [problem.ToString()],
            _ => [],
        };
    }
}
