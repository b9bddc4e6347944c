using System.Text.Json;
using EventProcessor.Activities.Jira;
using EventProcessor.Activities.Tests.Support;

namespace EventProcessor.Activities.Tests.Jira;

public sealed class AdfTests
{
    [Fact]
    public void Plain_text_becomes_paragraphs_with_hard_breaks()
    {
        var document = Adf.FromPlainText("Hello Ana,\r\nthanks.\n\n\nBest,\nOps");

        Json.Equal(
            """
            {"type":"doc","version":1,"content":[
              {"type":"paragraph","content":[{"type":"text","text":"Hello Ana,"},{"type":"hardBreak"},{"type":"text","text":"thanks."}]},
              {"type":"paragraph","content":[{"type":"text","text":"Best,"},{"type":"hardBreak"},{"type":"text","text":"Ops"}]}]}
            """,
            JsonSerializer.Serialize(document, JiraJson.Options));
    }

    // ADF's codeBlock keeps line breaks and indentation inside its text node (a pretty-printed JSON
    // value of an event reads as written); paragraphs would need hardBreaks and lose the indentation.
    [Fact]
    public void Fenced_lines_become_one_code_block_between_paragraphs()
    {
        var document = Adf.FromPlainText("Severity: high\nDetails:\n```\n{\n  \"a\": [\n\n    1\n  ]\n}\n```\nEnd.\n```\nnot closed");

        Json.Equal(
            """
            {"type":"doc","version":1,"content":[
              {"type":"paragraph","content":[{"type":"text","text":"Severity: high"},{"type":"hardBreak"},{"type":"text","text":"Details:"}]},
              {"type":"codeBlock","content":[{"type":"text","text":"{\n  \"a\": [\n\n    1\n  ]\n}"}]},
              {"type":"paragraph","content":[{"type":"text","text":"End."},{"type":"hardBreak"},{"type":"text","text":"```"},{"type":"hardBreak"},{"type":"text","text":"not closed"}]}]}
            """,
            JsonSerializer.Serialize(document, JiraJson.Options));
    }

    [Fact]
    public void Empty_text_is_one_empty_paragraph_because_ADF_rejects_empty_text_nodes()
    {
        Json.Equal(
            """{"type":"doc","version":1,"content":[{"type":"paragraph","content":[]}]}""",
            JsonSerializer.Serialize(Adf.FromPlainText(string.Empty), JiraJson.Options));
    }

    [Fact]
    public void Reading_keeps_text_mentions_emoji_links_and_block_breaks()
    {
        using var document = JsonDocument.Parse(
            """
            {"type":"doc","version":1,"content":[
              {"type":"paragraph","content":[
                {"type":"mention","attrs":{"id":"557058:a","text":"@Ada Agent"}},{"type":"text","text":" please check "},
                {"type":"inlineCard","attrs":{"url":"https://status.example/1"}},{"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}}]},
              {"type":"bulletList","content":[
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one","marks":[{"type":"strong"}]}]}]},
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]}]},
              {"type":"codeBlock","content":[{"type":"text","text":"line1"},{"type":"hardBreak"},{"type":"text","text":"line2"}]}]}
            """);

        Assert.Equal("@Ada Agent please check https://status.example/1😄\n\none\n\ntwo\n\nline1\nline2", Adf.ToPlainText(document.RootElement));
    }

    [Fact]
    public void Round_trip_keeps_the_text()
    {
        const string text = "First line\nsecond line\n\nNext paragraph";
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(Adf.FromPlainText(text), JiraJson.Options));

        Assert.Equal(text, Adf.ToPlainText(document.RootElement));
    }

    [Fact]
    public void A_plain_string_body_is_read_as_it_is()
    {
        using var document = JsonDocument.Parse("\"legacy wiki text\"");

        Assert.Equal("legacy wiki text", Adf.ToPlainText(document.RootElement));
    }
}
