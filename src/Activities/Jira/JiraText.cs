namespace EventProcessor.Activities.Jira;

/// <summary>Values shaped to what Jira accepts.</summary>
public static class JiraText
{
    /// <summary>Jira refuses summaries longer than this (and any with a line break).</summary>
    public const int MaxSummaryLength = 255;

    /// <summary>One line of at most <see cref="MaxSummaryLength"/> characters: line breaks become spaces, a longer text ends in "…".</summary>
    public static string Summary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxSummaryLength ? line : string.Concat(line.AsSpan(0, MaxSummaryLength - 1), "…");
    }
}
