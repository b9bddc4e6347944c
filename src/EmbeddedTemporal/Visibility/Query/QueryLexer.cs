using System.Globalization;
using System.Text;

namespace EventProcessor.EmbeddedTemporal.Visibility.Query;

internal enum TokenKind
{
    End,
    Identifier,
    Keyword,
    String,
    Number,
    Operator,
    LeftParen,
    RightParen,
    Comma,
}

/// <summary>One token of a list filter; <see cref="Position"/> is 1-based, counted in the query as the user wrote it.</summary>
internal sealed record QueryToken(TokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Keyword && string.Equals(Text, keyword, StringComparison.Ordinal);

    public string Display => Kind == TokenKind.End ? "end of query" : $"'{Text}'";
}

/// <summary>
/// Splits Temporal's SQL-like list filter into tokens. Keywords are case-insensitive as in SQL;
/// strings take single or double quotes with backslash escapes, as Temporal's SQL parser does.
/// </summary>
internal static class QueryLexer
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IN", "BETWEEN", "STARTS_WITH", "IS", "NULL", "TRUE", "FALSE",
        "ORDER", "GROUP", "BY", "ASC", "DESC", "LIMIT", "LIKE",
    };

    public static List<QueryToken> Tokenize(string text)
    {
        var tokens = new List<QueryToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(s_keywords.Contains(word)
                    ? new QueryToken(TokenKind.Keyword, word.ToUpperInvariant(), start + 1)
                    : new QueryToken(TokenKind.Identifier, word, start + 1));
                continue;
            }

            if (c == '`')
            {
                var close = text.IndexOf('`', i + 1);
                if (close < 0)
                {
                    throw InvalidQueryException.Syntax(start + 1, text[start..]);
                }

                tokens.Add(new QueryToken(TokenKind.Identifier, text[(i + 1)..close], start + 1));
                i = close + 1;
                continue;
            }

            if (c is '\'' or '"')
            {
                tokens.Add(new QueryToken(TokenKind.String, ReadString(text, ref i), start + 1));
                continue;
            }

            if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] is '.' or 'e' or 'E'))
                {
                    i++;
                }

                tokens.Add(new QueryToken(TokenKind.Number, text[start..i], start + 1));
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new QueryToken(TokenKind.LeftParen, "(", start + 1));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new QueryToken(TokenKind.RightParen, ")", start + 1));
                    i++;
                    continue;
                case ',':
                    tokens.Add(new QueryToken(TokenKind.Comma, ",", start + 1));
                    i++;
                    continue;
                case '=':
                    tokens.Add(new QueryToken(TokenKind.Operator, "=", start + 1));
                    i++;
                    continue;
                case '!' when i + 1 < text.Length && text[i + 1] == '=':
                    tokens.Add(new QueryToken(TokenKind.Operator, "!=", start + 1));
                    i += 2;
                    continue;
                case '<':
                case '>':
                    var op = c.ToString();
                    if (i + 1 < text.Length && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>')))
                    {
                        op += text[i + 1];
                    }

                    i += op.Length;
                    tokens.Add(new QueryToken(TokenKind.Operator, op == "<>" ? "!=" : op, start + 1));
                    continue;
            }

            throw InvalidQueryException.Syntax(start + 1, text[start..Math.Min(text.Length, start + 20)]);
        }

        tokens.Add(new QueryToken(TokenKind.End, string.Empty, text.Length + 1));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (c == quote)
            {
                // A doubled quote stands for the quote itself, as in SQL.
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(c);
            i++;
        }

        throw InvalidQueryException.Syntax(start + 1, string.Create(CultureInfo.InvariantCulture, $"{text[start..]} (unterminated string)"));
    }
}
