using System.ComponentModel.DataAnnotations;
using EventProcessor.Hosting;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace EventProcessor.Activities.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a local relay or a test server only).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS; refuse to send if the server cannot (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>Configuration section <c>Smtp</c>: the relay every templated email goes through, and the sender.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    /// <summary>The source-generated checks of the attributes and <see cref="Validate"/>, reporting as every section does.</summary>
    public static readonly SectionValidator<SmtpOptions> Validator = new(SectionName, new SmtpOptionsValidator());

    [Required]
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Account for SMTP AUTH; leave empty (with <see cref="Password"/>) for a relay that needs none.</summary>
    public string? Username { get; set; }

    /// <summary>Secret.</summary>
    public string? Password { get; set; }

    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = string.Empty;

    public string? FromName { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public bool HasCredentials => !string.IsNullOrEmpty(Username);

    /// <summary>The domain that Message-Ids are minted under (the sender's domain, so they are unique to us).</summary>
    public string MessageIdDomain => FromAddress[(FromAddress.LastIndexOf('@') + 1)..];

    internal SecureSocketOptions SocketOptions => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult(
                "Username and Password must be set together (or both left empty for a relay without authentication).",
                [string.IsNullOrEmpty(Username) ? nameof(Username) : nameof(Password)]);
        }

        if (!Enum.IsDefined(Security))
        {
            yield return new ValidationResult($"'{Security}' is not one of None, StartTls, SslOnConnect.", [nameof(Security)]);
        }
    }

    /// <summary>Never shows the password.</summary>
    public override string ToString() =>
        $"SMTP {Host}:{Port} ({Security}) as {(HasCredentials ? Username : "anonymous")}, from {FromAddress}";
}

/// <summary>Written by the options-validation source generator from the attributes of <see cref="SmtpOptions"/>.</summary>
[OptionsValidator]
public sealed partial class SmtpOptionsValidator : IValidateOptions<SmtpOptions>;
