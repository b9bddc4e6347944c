namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>A list filter the server refuses; the frontend answers INVALID_ARGUMENT with this message.</summary>
internal sealed class InvalidQueryException(string message) : Exception(message)
{
    public static InvalidQueryException Syntax(int position, string near) =>
        new($"invalid query: malformed query: syntax error at position {position} near '{near}'");

    public static InvalidQueryException InvalidExpression(string detail) => new($"invalid query: invalid expression: {detail}");

    public static InvalidQueryException NotSupported(string detail) => new($"invalid query: operation is not supported: {detail}");
}
