using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventProcessor.Cli.Runs;

/// <summary>
/// Masks secrets in a workflow's input before it reaches a terminal or a ticket: fields named like
/// credentials (tokens, passwords, keys, reset links) and token-bearing query strings in any URL.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "***";

    private static readonly string[] SecretNameParts = ["token", "secret", "password", "passwd", "apikey", "api_key", "authorization", "credential", "reseturl", "signature", "privatekey", "cookie"];

    public static JsonNode? MaskNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    obj[name] = IsSecretName(name) && value is not null ? Mask : MaskNode(value?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = MaskNode(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(MaskUrlSecrets(text));
            default:
                return node;
        }
    }

    public static bool IsSecretName(string name)
    {
        var flat = name.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return SecretNameParts.Any(part => flat.Contains(part, StringComparison.Ordinal));
    }

    /// <summary>Masks the values of query parameters named like secrets (token=..., sig=...) in free text.</summary>
    public static string MaskUrlSecrets(string text) =>
        SecretQueryParameter().Replace(text, m => $"{m.Groups["name"].Value}={Mask}");

    [GeneratedRegex(@"(?<name>[?&](?:[A-Za-z_]*(?:token|secret|password|key|sig|signature|code)[A-Za-z_]*))=[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryParameter();
}
