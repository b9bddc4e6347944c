namespace EventProcessor.Worker.Telemetry;

/// <summary>
/// A logging scope of named values. Formatters read the pairs as fields; its text is
/// <c>Key=Value</c> pairs, so the JSON console's scope <c>Message</c> reads well too instead of
/// naming a dictionary type.
/// </summary>
internal sealed class LogScope(params KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
}
