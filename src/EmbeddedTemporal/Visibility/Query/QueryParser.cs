using System.Globalization;

namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

/// <summary>
/// Recursive-descent parser for Temporal's list filter (the WHERE part of a SQL select, plus
/// GROUP BY and ORDER BY). Precedence as in SQL: NOT binds tighter than AND, AND tighter than OR.
/// </summary>
internal sealed class QueryParser
{
    private readonly List<QueryToken> _tokens;
    private int _next;

    private QueryParser(List<QueryToken> tokens) => _tokens = tokens;

    public static ParsedQuery Parse(string? text)
    {
        var parser = new QueryParser(QueryLexer.Tokenize(text ?? string.Empty));
        return parser.ParseQuery();
    }

    private QueryToken Peek => _tokens[_next];

    private QueryToken Take() => _tokens[_next++];

    private ParsedQuery ParseQuery()
    {
        QueryExpr? where = null;
        if (!Peek.IsKeyword("ORDER") && !Peek.IsKeyword("GROUP") && Peek.Kind != TokenKind.End)
        {
            where = ParseOr();
        }

        var groupBy = new List<(string, int)>();
        if (Peek.IsKeyword("GROUP"))
        {
            Take();
            Expect("BY");
            do
            {
                var field = ExpectIdentifier();
                groupBy.Add((field.Text, field.Position));
            }
            while (TryTake(TokenKind.Comma));
        }

        var orderBy = new List<OrderByTerm>();
        if (Peek.IsKeyword("ORDER"))
        {
            Take();
            Expect("BY");
            do
            {
                var field = ExpectIdentifier();
                var descending = false;
                if (Peek.IsKeyword("DESC"))
                {
                    Take();
                    descending = true;
                }
                else if (Peek.IsKeyword("ASC"))
                {
                    Take();
                }

                orderBy.Add(new OrderByTerm(field.Text, field.Position, descending));
            }
            while (TryTake(TokenKind.Comma));
        }

        if (Peek.IsKeyword("LIMIT"))
        {
            throw InvalidQueryException.NotSupported("'LIMIT' clause");
        }

        if (Peek.Kind != TokenKind.End)
        {
            throw Unexpected();
        }

        return new ParsedQuery(where, groupBy, orderBy);
    }

    private QueryExpr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.IsKeyword("OR"))
        {
            Take();
            left = new OrExpr(left, ParseAnd());
        }

        return left;
    }

    private QueryExpr ParseAnd()
    {
        var left = ParseNot();
        while (Peek.IsKeyword("AND"))
        {
            Take();
            left = new AndExpr(left, ParseNot());
        }

        return left;
    }

    private QueryExpr ParseNot()
    {
        if (Peek.IsKeyword("NOT"))
        {
            Take();
            return new NotExpr(ParseNot());
        }

        return ParsePrimary();
    }

    private QueryExpr ParsePrimary()
    {
        if (TryTake(TokenKind.LeftParen))
        {
            var inner = ParseOr();
            ExpectKind(TokenKind.RightParen);
            return inner;
        }

        if (Peek.Kind is TokenKind.String or TokenKind.Number)
        {
            // Temporal's converter: a value where a column name belongs.
            throw InvalidQueryException.InvalidExpression($"must be a column name but was {Peek.Display} at position {Peek.Position}");
        }

        var field = ExpectIdentifier();
        var token = Peek;
        if (token.Kind == TokenKind.Operator)
        {
            Take();
            return new ComparisonExpr(field.Text, field.Position, token.Text, [ParseLiteral()]);
        }

        var negated = false;
        if (token.IsKeyword("NOT"))
        {
            Take();
            negated = true;
            token = Peek;
        }

        if (token.IsKeyword("IN"))
        {
            Take();
            ExpectKind(TokenKind.LeftParen);
            var values = new List<QueryLiteral> { ParseLiteral() };
            while (TryTake(TokenKind.Comma))
            {
                values.Add(ParseLiteral());
            }

            ExpectKind(TokenKind.RightParen);
            return new ComparisonExpr(field.Text, field.Position, negated ? "NOT IN" : "IN", values);
        }

        if (token.IsKeyword("STARTS_WITH"))
        {
            Take();
            return new ComparisonExpr(field.Text, field.Position, negated ? "NOT STARTS_WITH" : "STARTS_WITH", [ParseLiteral()]);
        }

        if (token.IsKeyword("BETWEEN"))
        {
            Take();
            var from = ParseLiteral();
            Expect("AND");
            var to = ParseLiteral();
            return new ComparisonExpr(field.Text, field.Position, negated ? "NOT BETWEEN" : "BETWEEN", [from, to]);
        }

        if (token.IsKeyword("LIKE"))
        {
            throw InvalidQueryException.NotSupported($"operator 'LIKE' at position {token.Position}");
        }

        if (!negated && token.IsKeyword("IS"))
        {
            Take();
            var not = false;
            if (Peek.IsKeyword("NOT"))
            {
                Take();
                not = true;
            }

            Expect("NULL");
            return new ComparisonExpr(field.Text, field.Position, not ? "IS NOT NULL" : "IS NULL", []);
        }

        if (token.Kind == TokenKind.End)
        {
            throw InvalidQueryException.InvalidExpression($"incomplete expression after '{field.Text}' at position {field.Position}");
        }

        throw Unexpected();
    }

    private QueryLiteral ParseLiteral()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new QueryLiteral(token.Text, token.Text, token.Position);
            case TokenKind.Number:
                if (long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return new QueryLiteral(integer, token.Text, token.Position);
                }

                if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    return new QueryLiteral(real, token.Text, token.Position);
                }

                break;
            case TokenKind.Keyword when token.Text is "TRUE" or "FALSE":
                return new QueryLiteral(token.Text == "TRUE", token.Text.ToLowerInvariant(), token.Position);
            case TokenKind.Identifier:
                throw InvalidQueryException.NotSupported(
                    $"column name on the right side of comparison expression (did you forget to quote '{token.Text}'?) at position {token.Position}");
        }

        _next--;
        throw Unexpected();
    }

    private QueryToken ExpectIdentifier()
    {
        var token = Peek;
        if (token.Kind != TokenKind.Identifier)
        {
            throw Unexpected();
        }

        return Take();
    }

    private void Expect(string keyword)
    {
        if (!Peek.IsKeyword(keyword))
        {
            throw Unexpected();
        }

        Take();
    }

    private void ExpectKind(TokenKind kind)
    {
        if (Peek.Kind != kind)
        {
            throw Unexpected();
        }

        Take();
    }

    private bool TryTake(TokenKind kind)
    {
        if (Peek.Kind != kind)
        {
            return false;
        }

        Take();
        return true;
    }

    private InvalidQueryException Unexpected() => InvalidQueryException.Syntax(Peek.Position, Peek.Kind == TokenKind.End ? "end of query" : Peek.Text);
}
