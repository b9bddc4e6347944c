using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace EventProcessor.Encryption.Tests;

/// <summary>Fresh random keys and configurations for one test.</summary>
internal static class TestKeys
{
    /// <summary>A key for tests only (never deployed): the saved encrypted history under Histories/ was written with it.</summary>
    public const string SavedHistoryKeyId = "test-2026-11";

    public const string SavedHistoryKey = "LGAUQIj6kTkgQ/0Nc+G1aSOiXN4Q6t1OBanPQGcKpdw=";

    public static string NewBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize));

    /// <summary>A ring whose current key is <paramref name="current"/>; every id gets the key given or a fresh one.</summary>
    public static EncryptionKeyRing Ring(string current, IReadOnlyDictionary<string, string> base64Keys) =>
        new(current, base64Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal));

    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    /// <summary>Configuration pairs for section Encryption with one key per id, the first id current.</summary>
    public static (string Key, string? Value)[] EncryptionSection(string current, IReadOnlyDictionary<string, string> base64Keys) =>
        [("Encryption:CurrentKeyId", current), .. base64Keys.Select(k => ($"Encryption:Keys:{k.Key}", (string?)k.Value))];
}
