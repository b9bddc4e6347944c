using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EventProcessor.Encryption;
using Google.Protobuf;
using Temporalio.Api.Common.V1;

namespace EventProcessor.Benchmarks;

/// <summary>
/// <c>codec</c>: what payload encryption adds per payload: one encode and one decode of a
/// json/plain payload of 2 KB (the size of a typical event input) through the product's AES-256-GCM
/// codec, timed one round trip at a time. Options: --iterations N (default 50000), --warmup N
/// (5000), --bytes N (2048).
/// </summary>
public static class CodecBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchmarkOptions(args);
        var iterations = options.Int("iterations", 50_000);
        var warmup = options.Int("warmup", 5_000);
        var size = options.Int("bytes", 2048);

        var codec = new AesGcmPayloadCodec(new EncryptionKeyRing("bench", new Dictionary<string, byte[]> { ["bench"] = RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize) }));
        var payload = JsonPayload(size);
        IReadOnlyCollection<Payload> batch = [payload];
        for (var i = 0; i < warmup; i++)
        {
            await codec.DecodeAsync(await codec.EncodeAsync(batch));
        }

        var micros = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var decoded = await codec.DecodeAsync(await codec.EncodeAsync(batch));
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (decoded.Count != 1)
            {
                throw new InvalidOperationException("The codec lost a payload.");
            }
        }

        if (!SamePayload(payload, (await codec.DecodeAsync(await codec.EncodeAsync(batch))).Single()))
        {
            await Console.Error.WriteLineAsync("codec benchmark: the round trip did not return the payload");
            return 1;
        }

        Array.Sort(micros);
        Console.WriteLine($"codec benchmark: AES-256-GCM payload codec, {payload.CalculateSize()}-byte payload ({size} bytes of data), {iterations} round trips after {warmup} warm-up, {Environment.ProcessorCount} cores");
        Console.WriteLine(FormattableString.Invariant(
            $"codec overhead per payload (encode + decode): median {Percentile(micros, 0.50):F1} µs, p95 {Percentile(micros, 0.95):F1} µs, p99 {Percentile(micros, 0.99):F1} µs, mean {micros.Average():F1} µs"));
        return 0;
    }

    private static bool SamePayload(Payload expected, Payload actual) => expected.Equals(actual);

    private static Payload JsonPayload(int size)
    {
        // Printable JSON-like text, as the default converter writes, not zeros (which some ciphers' callers special-case).
        var text = new StringBuilder("{\"detail\":\"");
        var random = new Random(12);
        while (text.Length < size - 2)
        {
            text.Append((char)('a' + random.Next(26)));
        }

        text.Append("\"}");
        return new Payload
        {
            Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
            Data = ByteString.CopyFromUtf8(text.ToString()),
        };
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
