using System.Text.Json.Nodes;
using EventProcessor.Cli.Runs;

namespace EventProcessor.Cli.Tests.Runs;

public sealed class SecretMaskerTests
{
    [Fact]
    public void Masks_fields_named_like_secrets_and_token_query_parameters_but_keeps_the_rest()
    {
        var input = JsonNode.Parse("""
            {"eventId":"e-1","detail":{"userId":"u-1","email":"a@example.com","resetUrl":"https://app/reset?token=abc",
             "accessToken":"t0k","nested":[{"apiKey":"k"}],"link":"https://app/invite?team=7&inviteToken=xyz"}}
            """);

        var node = SecretMasker.MaskNode(input)!;
        var masked = node.ToJsonString();

        Assert.DoesNotContain("abc", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("\"k\"", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", masked, StringComparison.Ordinal);
        Assert.Contains("\"resetUrl\":\"***\"", masked, StringComparison.Ordinal);
        Assert.Equal("https://app/invite?team=7&inviteToken=***", node["detail"]!["link"]!.GetValue<string>());
        Assert.Contains("\"email\":\"a@example.com\"", masked, StringComparison.Ordinal);
        Assert.Contains("\"userId\":\"u-1\"", masked, StringComparison.Ordinal);
    }
}
