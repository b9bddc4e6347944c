using System.Globalization;
using EventProcessor.EmbeddedTemporal.State;
using Temporalio.Api.Enums.V1;

namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>A list filter bound to a namespace's search attributes, ready to run over its runs.</summary>
internal sealed record CompiledQuery(
    Func<WorkflowExecution, bool> Filter,
    Comparison<WorkflowExecution>? OrderBy,
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

        Comparison<WorkflowExecution>? orderBy = null;
        foreach (var term in parsed.OrderBy.Reverse())
        {
            var type = Resolve(term.Field, term.Position, attributes);
            if (type == IndexedValueType.Text)
            {
                throw InvalidQueryException.NotSupported($"unable to sort by search attribute type {type}");
            }

            var accessor = FieldValues.Accessor(term.Field, type);
            var then = orderBy;
            var descending = term.Descending;
            orderBy = (a, b) =>
            {
                var result = CompareForSort(accessor(a), accessor(b), descending);
                return result != 0 || then is null ? result : then(a, b);
            };
        }

        return new CompiledQuery(run => where(run) == true, orderBy, groupBy);
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
                    string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                        && text.Contains('T', StringComparison.Ordinal) => parsed,
                    string text => throw InvalidQueryException.InvalidExpression($"unable to parse datetime '{text}' (position {literal.Position})"),
                    _ => throw mismatch,
                };
            default:
                throw InvalidQueryException.InvalidExpression($"unknown search attribute type {type} for {field}");
        }
    }

    private static string ParseStatus(QueryLiteral literal)
    {
        switch (literal.Value)
        {
            case long number when Enum.IsDefined((WorkflowExecutionStatus)number) && number > 0:
                return FieldValues.StatusName((WorkflowExecutionStatus)number);
            case string text:
                var name = text.StartsWith("WORKFLOW_EXECUTION_STATUS_", StringComparison.Ordinal)
                    ? text["WORKFLOW_EXECUTION_STATUS_".Length..].Replace("_", string.Empty, StringComparison.Ordinal)
                    : text;
                foreach (var status in Enum.GetValues<WorkflowExecutionStatus>().Where(s => s != WorkflowExecutionStatus.Unspecified))
                {
                    var statusName = FieldValues.StatusName(status);
                    if (string.Equals(statusName, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return statusName;
                    }
                }

                throw InvalidQueryException.InvalidExpression($"invalid ExecutionStatus value '{text}' (position {literal.Position})");
            default:
                throw InvalidQueryException.InvalidExpression($"invalid ExecutionStatus value {literal.Text} (position {literal.Position})");
        }
    }

    private static int Compare(object value, object literal) => (value, literal) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (long a, double b) => ((double)a).CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => 1,
    };

    /// <summary>Sort order for ORDER BY: unset values last in either direction, as Elasticsearch sorts missing values.</summary>
    private static int CompareForSort(object? a, object? b, bool descending)
    {
        if (a is null || b is null)
        {
            return (a is null ? 1 : 0) - (b is null ? 1 : 0);
        }

        var result = (a, b) switch
        {
            (long x, long y) => x.CompareTo(y),
            (double x, double y) => x.CompareTo(y),
            (string x, string y) => string.CompareOrdinal(x, y),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            (bool x, bool y) => x.CompareTo(y),
            (IReadOnlyList<string> x, IReadOnlyList<string> y) => string.CompareOrdinal(x.FirstOrDefault(), y.FirstOrDefault()),
            _ => 0,
        };
        return descending ? -result : result;
    }
}
