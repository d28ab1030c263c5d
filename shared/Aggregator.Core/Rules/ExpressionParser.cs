using System.Globalization;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>
/// Parses the rule language of the form files:
/// <code>
/// rule       := conjunction ( "->" conjunction )?
/// conjunction:= predicate ( "and" predicate )*
/// predicate  := ( "blank" | "filled" ) "(" cell ")" | sum ( "==" | "&lt;=" | "&gt;=" | "&lt;" | "&gt;" ) sum
/// sum        := ( "+" | "-" )? term ( ( "+" | "-" ) term )*
/// term       := number | cell | "sum" "(" sum ( "," sum )* ")" | "(" sum ")"
/// cell       := id "." id "." id | "prev" "(" id "." id "." id ")"
/// </code>
/// </summary>
internal sealed class ExpressionParser
{
    private readonly string _text;
    private readonly FormDefinition _form;
    private int _position;

    private ExpressionParser(string text, FormDefinition form)
    {
        _text = text;
        _form = form;
    }

    public static RuleExpression Parse(string text, FormDefinition form)
    {
        var parser = new ExpressionParser(text, form);
        var first = parser.ParseConjunction();
        RuleExpression expression;
        if (parser.TryConsume("->"))
        {
            expression = new RuleExpression(first, parser.ParseConjunction());
        }
        else
        {
            expression = new RuleExpression([], first);
        }

        parser.SkipSpaces();
        if (parser._position < text.Length)
        {
            throw parser.Error("unexpected text");
        }

        return expression;
    }

    private List<Predicate> ParseConjunction()
    {
        var predicates = new List<Predicate> { ParsePredicate() };
        while (TryConsumeWord("and"))
        {
            predicates.Add(ParsePredicate());
        }

        return predicates;
    }

    private Predicate ParsePredicate()
    {
        if (TryConsumeWord("blank"))
        {
            Expect("(");
            var (index, previous) = ParseCell();
            Expect(")");
            return new BlankTest(index, previous);
        }

        if (TryConsumeWord("filled"))
        {
            Expect("(");
            var (index, previous) = ParseCell();
            Expect(")");
            return new BlankTest(index, previous, Negated: true);
        }

        var left = ParseSum();
        var op = ParseOperator();
        var right = ParseSum();
        return new Comparison(left, op, right);
    }

    private ComparisonOperator ParseOperator()
    {
        if (TryConsume("=="))
        {
            return ComparisonOperator.Equal;
        }

        if (TryConsume("<="))
        {
            return ComparisonOperator.LessOrEqual;
        }

        if (TryConsume(">="))
        {
            return ComparisonOperator.GreaterOrEqual;
        }

        if (TryConsume("<"))
        {
            return ComparisonOperator.Less;
        }

        if (TryConsume(">"))
        {
            return ComparisonOperator.Greater;
        }

        throw Error("expected a comparison (==, <=, >=, <, >)");
    }

    private List<Term> ParseSum()
    {
        var terms = new List<Term>();
        var negative = false;
        if (TryConsume("-"))
        {
            negative = true;
        }
        else
        {
            TryConsume("+");
        }

        ParseTerm(negative, terms);
        while (true)
        {
            if (TryConsume("+"))
            {
                ParseTerm(false, terms);
            }
            else if (TryConsume("-"))
            {
                ParseTerm(true, terms);
            }
            else
            {
                break;
            }
        }

        return terms;
    }

    private void ParseTerm(bool negative, List<Term> terms)
    {
        SkipSpaces();
        if (TryConsumeWord("sum"))
        {
            Expect("(");
            do
            {
                AddAll(ParseSum(), negative, terms);
            }
            while (TryConsume(","));
            Expect(")");
            return;
        }

        if (TryConsume("("))
        {
            AddAll(ParseSum(), negative, terms);
            Expect(")");
            return;
        }

        if (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            terms.Add(new Term(negative, -1, false, ParseNumber()));
            return;
        }

        var (index, previous) = ParseCell();
        terms.Add(new Term(negative, index, previous, 0));
    }

    private static void AddAll(List<Term> inner, bool negative, List<Term> terms) =>
        terms.AddRange(inner.Select(t => t with { Negative = t.Negative != negative }));

    private long ParseNumber()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] == '.'))
        {
            _position++;
        }

        var text = _text[start.._position];
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !FixedPoint.TryFromDecimal(value, out var scaled))
        {
            _position = start;
            throw Error($"bad number '{text}'");
        }

        return scaled;
    }

    private (int Index, bool Previous) ParseCell()
    {
        if (TryConsumeWord("prev"))
        {
            Expect("(");
            var index = ParseCellId();
            Expect(")");
            return (index, true);
        }

        return (ParseCellId(), false);
    }

    private int ParseCellId()
    {
        SkipSpaces();
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
        {
            _position++;
        }

        var id = _text[start.._position];
        if (id.Length == 0)
        {
            throw Error("expected a cell id");
        }

        if (!_form.TryGetCell(id, out var cell))
        {
            _position = start;
            throw Error($"unknown cell '{id}'");
        }

        return cell.Index;
    }

    private bool PeekArrow()
    {
        SkipSpaces();
        return string.CompareOrdinal(_text, _position, "->", 0, 2) == 0;
    }

    private bool TryConsume(string token)
    {
        SkipSpaces();
        if (token == "-" && PeekArrow())
        {
            return false;
        }

        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }

        _position += token.Length;
        return true;
    }

    private bool TryConsumeWord(string word)
    {
        SkipSpaces();
        var end = _position + word.Length;
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0
            || (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '.')))
        {
            return false;
        }

        _position = end;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryConsume(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormDefinitionException Error(string what) =>
        new($"{what} at position {_position} of \"{_text}\"");
}
