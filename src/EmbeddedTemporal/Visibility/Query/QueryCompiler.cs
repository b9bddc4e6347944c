using System.Globalization;
using EventProcessor.EmbeddedTemporal.State;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>A list filter bound to a namespace's search attributes, ready to run over its runs.</summary>
internal sealed record CompiledQuery(
    Func<WorkflowExecution, bool> Filter,
    string? GroupBy);

/// <summary>
/// Binds a parsed filter to search attribute types and checks it as Temporal's query converter
/// does: known fields only, operators allowed per type, literals of the field's type. Evaluation
/// follows SQL's three-valued logic, so a comparison with an unset attribute is never true.
/// </summary>
internal static class QueryCompiler
{
    private static readonly string[] s_comparison = ["=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN"];
    private static readonly string[] s_keyword = [.. s_comparison, "STARTS_WITH", "NOT STARTS_WITH"];
    private static readonly string[] s_keywordList = ["=", "!=", "IN", "NOT IN"];
    private static readonly string[] s_text = ["=", "!="];

    public static CompiledQuery Compile(string? query, SearchAttributeRegistry attributes)
    {
        var parsed = QueryParser.Parse(query);
        Func<WorkflowExecution, bool?> where = parsed.Where is null ? static _ => true : Bind(parsed.Where, attributes);

        string? groupBy = null;
        if (parsed.GroupBy.Count > 1)
        {
            throw InvalidQueryException.NotSupported("'GROUP BY' clause supports only a single field");
        }

        foreach (var (field, position) in parsed.GroupBy)
        {
            Resolve(field, position, attributes);
            if (field != "ExecutionStatus")
            {
                throw InvalidQueryException.NotSupported("'GROUP BY' clause is only supported for ExecutionStatus search attribute");
            }

            groupBy = field;
        }

        // ORDER BY is refused as the SQL visibility stores (and so the dev server) refuse it; the
        // converter keeps it only for Elasticsearch, for backwards compatibility, and plans to remove
        // it (convertSelectStmt in common/persistence/visibility/store/query/converter.go). Runs come
        // newest first without it.
        if (parsed.OrderBy.Count > 0)
        {
            throw InvalidQueryException.NotSupported("'ORDER BY' clause");
        }

        return new CompiledQuery(run => where(run) == true, groupBy);
    }

    private static Func<WorkflowExecution, bool?> Bind(QueryExpr expr, SearchAttributeRegistry attributes)
    {
        switch (expr)
        {
            case AndExpr and:
                {
                    var left = Bind(and.Left, attributes);
                    var right = Bind(and.Right, attributes);
                    return run => left(run) switch
                    {
                        false => false,
                        true => right(run),
                        null => right(run) == false ? false : null,
                    };
                }

            case OrExpr or:
                {
                    var left = Bind(or.Left, attributes);
                    var right = Bind(or.Right, attributes);
                    return run => left(run) switch
                    {
                        true => true,
                        false => right(run),
                        null => right(run) == true ? true : null,
                    };
                }

            case NotExpr not:
                {
                    var inner = Bind(not.Inner, attributes);
                    return run => !inner(run);
                }

            case ComparisonExpr comparison:
                return BindComparison(comparison, attributes);
            default:
                throw new InvalidOperationException($"Unknown expression {expr.GetType().Name}.");
        }
    }

    private static IndexedValueType Resolve(string field, int position, SearchAttributeRegistry attributes)
    {
        if (attributes.Custom.TryGetValue(field, out var type) || SearchAttributeRegistry.SystemAttributes.TryGetValue(field, out type))
        {
            return type;
        }

        throw InvalidQueryException.InvalidExpression($"column name '{field}' is not a valid search attribute (position {position})");
    }

    private static Func<WorkflowExecution, bool?> BindComparison(ComparisonExpr comparison, SearchAttributeRegistry attributes)
    {
        var field = comparison.Field;
        var type = Resolve(field, comparison.FieldPosition, attributes);
        var op = comparison.Operator;
        var accessor = FieldValues.Accessor(field, type);
        if (op is "IS NULL" or "IS NOT NULL")
        {
            var isNull = op == "IS NULL";
            return run => (accessor(run) is null) == isNull;
        }

        if (op is "BETWEEN" or "NOT BETWEEN")
        {
            if (type is not (IndexedValueType.Datetime or IndexedValueType.Double or IndexedValueType.Int or IndexedValueType.Keyword))
            {
                throw InvalidQueryException.InvalidExpression($"cannot do range condition on search attribute '{field}' of type {type}");
            }
        }
        else
        {
            var allowed = type switch
            {
                IndexedValueType.Keyword => s_keyword,
                IndexedValueType.KeywordList => s_keywordList,
                IndexedValueType.Text => s_text,
                _ => s_comparison,
            };
            if (!allowed.Contains(op))
            {
                throw InvalidQueryException.NotSupported($"operator '{op}' not allowed for {TypeLabel(field, type)} search attribute '{field}'");
            }
        }

        var values = comparison.Values.Select(v => Convert(v, field, type)).ToArray();
        return op switch
        {
            "=" => Scalar(accessor, type, values[0], c => c == 0),
            "!=" => Scalar(accessor, type, values[0], c => c != 0),
            "<" => Scalar(accessor, type, values[0], c => c < 0),
            "<=" => Scalar(accessor, type, values[0], c => c <= 0),
            ">" => Scalar(accessor, type, values[0], c => c > 0),
            ">=" => Scalar(accessor, type, values[0], c => c >= 0),
            "IN" => In(accessor, type, values),
            "NOT IN" => Negate(In(accessor, type, values)),
            "STARTS_WITH" => StartsWith(accessor, (string)values[0]),
            "NOT STARTS_WITH" => Negate(StartsWith(accessor, (string)values[0])),
            "BETWEEN" => Between(accessor, values[0], values[1]),
            "NOT BETWEEN" => Negate(Between(accessor, values[0], values[1])),
            _ => throw InvalidQueryException.NotSupported($"operator '{op}'"),
        };
    }

    private static string TypeLabel(string field, IndexedValueType type) =>
        field == "ExecutionStatus" ? "Keyword" : SearchAttributeRegistry.TypeName(type);

    private static Func<WorkflowExecution, bool?> Negate(Func<WorkflowExecution, bool?> inner) => run => !inner(run);

    private static Func<WorkflowExecution, bool?> Scalar(Func<WorkflowExecution, object?> accessor, IndexedValueType type, object literal, Func<int, bool> accept)
    {
        if (type == IndexedValueType.KeywordList)
        {
            // A list "equals" a value when it contains it, as in Elasticsearch and Temporal's SQL stores.
            var wanted = (string)literal;
            return run => accessor(run) is IReadOnlyList<string> list ? accept(list.Contains(wanted, StringComparer.Ordinal) ? 0 : 1) : null;
        }

        if (type == IndexedValueType.Text)
        {
            var wanted = Tokens((string)literal);
            return run => accessor(run) is string text ? accept(wanted.IsSubsetOf(Tokens(text)) ? 0 : 1) : null;
        }

        return run => accessor(run) is { } value ? accept(Compare(value, literal)) : null;
    }

    private static Func<WorkflowExecution, bool?> In(Func<WorkflowExecution, object?> accessor, IndexedValueType type, object[] literals)
    {
        if (type == IndexedValueType.KeywordList)
        {
            var wanted = literals.Cast<string>().ToHashSet(StringComparer.Ordinal);
            return run => accessor(run) is IReadOnlyList<string> list ? list.Any(wanted.Contains) : null;
        }

        return run => accessor(run) is { } value ? literals.Any(l => Compare(value, l) == 0) : null;
    }

    private static Func<WorkflowExecution, bool?> StartsWith(Func<WorkflowExecution, object?> accessor, string prefix) =>
        run => accessor(run) is string value ? value.StartsWith(prefix, StringComparison.Ordinal) : null;

    private static Func<WorkflowExecution, bool?> Between(Func<WorkflowExecution, object?> accessor, object from, object to) =>
        run => accessor(run) is { } value ? Compare(value, from) >= 0 && Compare(value, to) <= 0 : null;

    private static HashSet<string> Tokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => new string(t.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant())
            .Where(t => t.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Turns a literal into the field's type, with the converter's error for a mismatch.</summary>
    private static object Convert(QueryLiteral literal, string field, IndexedValueType type)
    {
        if (field == "ExecutionStatus")
        {
            return ParseStatus(literal);
        }

        var value = literal.Value;
        var mismatch = InvalidQueryException.InvalidExpression(
            $"invalid value type for search attribute {field} of type {SearchAttributeRegistry.TypeName(type)}: {literal.Text} (position {literal.Position})");
        switch (type)
        {
            case IndexedValueType.Keyword or IndexedValueType.KeywordList or IndexedValueType.Text:
                return value as string ?? throw mismatch;
            case IndexedValueType.Int or IndexedValueType.Double:
                return value switch
                {
                    long l => (double)l,
                    double d => d,
                    _ => throw mismatch,
                };
            case IndexedValueType.Bool:
                return value as bool? ?? throw mismatch;
            case IndexedValueType.Datetime:
                return value switch
                {
                    long nanos => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100),
                    string text => ParseDatetime(text, literal.Position),
                    _ => throw mismatch,
                };
            default:
                throw InvalidQueryException.InvalidExpression($"unknown search attribute type {type} for {field}");
        }
    }

    /// <summary>
    /// ExecutionStatus literals as the server's converter takes them (parseExecutionStatusValue in
    /// common/persistence/visibility/store/query/converter.go, which uses the API's
    /// WorkflowExecutionStatusFromString): the exact short name ('Running', 'ContinuedAsNew', ...),
    /// the enum's full name ('WORKFLOW_EXECUTION_STATUS_RUNNING'), or the enum's number; names are
    /// case-sensitive, so 'running' or 'RUNNING' is refused.
    /// </summary>
    private static string ParseStatus(QueryLiteral literal)
    {
        switch (literal.Value)
        {
            case long number when number is >= int.MinValue and <= int.MaxValue && Enum.IsDefined((WorkflowExecutionStatus)number):
                return s_statusNames[(WorkflowExecutionStatus)number].Short;
            case long number:
                throw InvalidQueryException.InvalidExpression($"invalid ExecutionStatus value {number} (position {literal.Position})");
            case string text:
                foreach (var (shortName, fullName) in s_statusNames.Values)
                {
                    if (string.Equals(text, shortName, StringComparison.Ordinal) || string.Equals(text, fullName, StringComparison.Ordinal))
                    {
                        return shortName;
                    }
                }

                throw InvalidQueryException.InvalidExpression($"invalid ExecutionStatus value '{text}' (position {literal.Position})");
            default:
                throw InvalidQueryException.InvalidExpression($"unexpected value type {literal.Text} for search attribute ExecutionStatus (position {literal.Position})");
        }
    }

    /// <summary>Each status's short name (the C# member name, as the Go API's shorthand) and full proto name.</summary>
    private static readonly Dictionary<WorkflowExecutionStatus, (string Short, string Full)> s_statusNames =
        Enum.GetValues<WorkflowExecutionStatus>().ToDictionary(
            status => status,
            status =>
            {
                var member = status.ToString();
                var original = typeof(WorkflowExecutionStatus).GetField(member)?
                    .GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
                    .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? member;
                return (member, original);
            });

    /// <summary>
    /// Datetime literals as the converter takes them (validateValueType in converter.go): an RFC 3339
    /// timestamp with an offset or Z (Go's time.RFC3339Nano layout), or integer nanoseconds since
    /// the epoch. A date alone or a time without offset is refused.
    /// </summary>
    private static DateTimeOffset ParseDatetime(string text, int position)
    {
        // Go keeps nanoseconds; DateTimeOffset keeps ticks (7 digits), so finer digits are dropped before parsing.
        var match = s_rfc3339.Match(text);
        var ticksPrecise = match.Success && match.Groups[1].Length > 8 ? text.Remove(match.Groups[1].Index + 8, match.Groups[1].Length - 8) : text;
        if (!match.Success
            || !DateTimeOffset.TryParse(ticksPrecise, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw InvalidQueryException.InvalidExpression($"unable to parse datetime '{text}' (position {position})");
        }

        return parsed;
    }

    private static readonly System.Text.RegularExpressions.Regex s_rfc3339 = new(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static int Compare(object value, object literal) => (value, literal) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (long a, double b) => ((double)a).CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => 1,
    };
}
