using Temporalio.Exceptions;

namespace EventProcessor.Activities.Email;

/// <summary>
/// Failures of the email step that no retry can fix (an unknown template, a model lacking a field,
/// a template using a field it does not declare). Messages name the template and the field, never a value.
/// </summary>
public static class EmailFailure
{
    public const string TemplateUnknown = "EmailTemplateUnknown";
    public const string ModelInvalid = "EmailModelInvalid";
    public const string TemplateInvalid = "EmailTemplateInvalid";

    internal static ApplicationFailureException Permanent(string errorType, string message) =>
        new(message, errorType, nonRetryable: true);
}
