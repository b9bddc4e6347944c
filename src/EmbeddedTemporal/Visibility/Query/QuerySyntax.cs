namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>A literal as written: a quoted string, a number or a boolean, with its position for error messages.</summary>
internal sealed record QueryLiteral(object Value, string Text, int Position);

/// <summary>A filter expression as parsed, before names are bound to search attributes.</summary>
internal abstract record QueryExpr;

internal sealed record AndExpr(QueryExpr Left, QueryExpr Right) : QueryExpr;

internal sealed record OrExpr(QueryExpr Left, QueryExpr Right) : QueryExpr;

internal sealed record NotExpr(QueryExpr Inner) : QueryExpr;

/// <summary>
/// A predicate on one field. <see cref="Operator"/> is one of =, !=, &lt;, &lt;=, &gt;, &gt;=,
/// IN, NOT IN, STARTS_WITH, NOT STARTS_WITH, BETWEEN, NOT BETWEEN, IS NULL, IS NOT NULL.
/// </summary>
internal sealed record ComparisonExpr(string Field, int FieldPosition, string Operator, IReadOnlyList<QueryLiteral> Values) : QueryExpr;

internal sealed record OrderByTerm(string Field, int Position, bool Descending);

/// <summary>A whole list filter: optional WHERE part, GROUP BY fields and ORDER BY terms.</summary>
internal sealed record ParsedQuery(QueryExpr? Where, IReadOnlyList<(string Field, int Position)> GroupBy, IReadOnlyList<OrderByTerm> OrderBy);
