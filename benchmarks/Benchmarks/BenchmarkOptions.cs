using System.Globalization;

namespace EventProcessor.Benchmarks;

/// <summary>Reads "--name value" pairs.</summary>
internal sealed class BenchmarkOptions(string[] args)
{
    public int Int(string name, int fallback)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
