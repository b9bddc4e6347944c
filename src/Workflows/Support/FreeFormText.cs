using EventProcessor.Events.Payloads;

namespace EventProcessor.Workflows.Support;

/// <summary>
/// How a free-form event field (<see cref="FreeForm"/>) reads in a Jira description: text after its
/// label, any other value pretty-printed in a code block (fenced lines, which the Jira activity turns
/// into an ADF <c>codeBlock</c>), both bounded by <see cref="FreeForm.DisplayLimit"/>.
/// </summary>
public static class FreeFormText
{
    /// <returns>The labelled text, or null when the value is absent or empty.</returns>
    public static string? ForTicket(string label, FreeForm? value)
    {
        if (value is null || value.IsEmpty)
        {
            return null;
        }

        var text = value.ToDisplayText();
        return value.IsText ? $"{label}: {text}" : $"{label}:\n```\n{text}\n```";
    }

    /// <summary>The text a mail or a push shows, or null when the value is absent or empty.</summary>
    public static string? ForPeople(FreeForm? value) => value is null || value.IsEmpty ? null : value.ToDisplayText();
}
