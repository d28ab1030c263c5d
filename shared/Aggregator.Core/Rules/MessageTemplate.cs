using System.Text;
using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>
/// A Chinese message with placeholders, parsed once when the form is loaded and rendered only for failing
/// rules. Placeholders: <c>{L}</c>/<c>{R}</c> (value of the left/right side of the comparison; a single blank
/// cell shows as 空), <c>{L.terms}</c>/<c>{R.terms}</c> (its terms, e.g. <c>2 + 5 + 0</c>), <c>{cell:ID}</c>,
/// <c>{label:ID}</c>, <c>{row:ID}</c>, <c>{rowpath:ID}</c> (the row with its group), <c>{col:ID}</c>; for built-in checks of one cell <c>{label}</c>,
/// <c>{raw}</c>, <c>{value}</c>, <c>{unit}</c>.
/// </summary>
internal sealed class MessageTemplate
{
    private const string BlankText = "空（按 0 计）";

    private readonly Segment[] _segments;

    private MessageTemplate(Segment[] segments, bool usesComparison)
    {
        _segments = segments;
        UsesComparison = usesComparison;
    }

    private enum SegmentKind
    {
        Literal,
        Left,
        Right,
        LeftTerms,
        RightTerms,
        CellValue,
        CellLabel,
        RowLabel,
        RowPath,
        ColumnLabel,
        CurrentLabel,
        CurrentRaw,
        CurrentValue,
        CurrentUnit,
    }

    public bool UsesComparison { get; }

    public static MessageTemplate Parse(string template, FormDefinition form)
    {
        var segments = new List<Segment>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                segments.Add(new Segment(SegmentKind.Literal, template[position..], -1));
                break;
            }

            if (open > position)
            {
                segments.Add(new Segment(SegmentKind.Literal, template[position..open], -1));
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new FormDefinitionException($"unclosed placeholder in message \"{template}\"");
            }

            segments.Add(ParsePlaceholder(template[(open + 1)..close], form, template));
            position = close + 1;
        }

        var usesComparison = segments.Exists(s => s.Kind is SegmentKind.Left or SegmentKind.Right
            or SegmentKind.LeftTerms or SegmentKind.RightTerms);
        return new MessageTemplate([.. segments], usesComparison);
    }

    public string Render(MessageContext context)
    {
        var builder = new StringBuilder();
        foreach (var segment in _segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    builder.Append(segment.Text);
                    break;
                case SegmentKind.Left:
                    AppendSide(builder, context.Comparison!.Left, context);
                    break;
                case SegmentKind.Right:
                    AppendSide(builder, context.Comparison!.Right, context);
                    break;
                case SegmentKind.LeftTerms:
                    AppendTerms(builder, context.Comparison!.Left, context);
                    break;
                case SegmentKind.RightTerms:
                    AppendTerms(builder, context.Comparison!.Right, context);
                    break;
                case SegmentKind.CellValue:
                    builder.Append(context.Table.IsBlank(segment.Cell) ? BlankText : FixedPoint.Format(context.Table.GetScaled(segment.Cell)));
                    break;
                case SegmentKind.CellLabel:
                    builder.Append(context.Table.Form.Cells[segment.Cell].Label);
                    break;
                case SegmentKind.RowLabel:
                    builder.Append(context.Table.Form.Cells[segment.Cell].RowLabel);
                    break;
                case SegmentKind.RowPath:
                    builder.Append(context.Table.Form.Cells[segment.Cell].RowPath);
                    break;
                case SegmentKind.ColumnLabel:
                    builder.Append(context.Table.Form.Cells[segment.Cell].ColumnLabel);
                    break;
                case SegmentKind.CurrentLabel:
                    builder.Append(context.Table.Form.Cells[context.CurrentCell].Label);
                    break;
                case SegmentKind.CurrentRaw:
                    builder.Append(context.Table.GetRawText(context.CurrentCell)
                        ?? (context.Table.IsBlank(context.CurrentCell) ? BlankText : FixedPoint.Format(context.Table.GetScaled(context.CurrentCell))));
                    break;
                case SegmentKind.CurrentValue:
                    builder.Append(context.Table.IsBlank(context.CurrentCell) ? BlankText : FixedPoint.Format(context.Table.GetScaled(context.CurrentCell)));
                    break;
                case SegmentKind.CurrentUnit:
                    builder.Append(context.Table.Form.Cells[context.CurrentCell].Unit);
                    break;
                default:
                    throw new InvalidOperationException($"Unhandled segment {segment.Kind}.");
            }
        }

        return builder.ToString();
    }

    private static Segment ParsePlaceholder(string name, FormDefinition form, string template)
    {
        switch (name)
        {
            case "L":
                return new Segment(SegmentKind.Left, null, -1);
            case "R":
                return new Segment(SegmentKind.Right, null, -1);
            case "L.terms":
                return new Segment(SegmentKind.LeftTerms, null, -1);
            case "R.terms":
                return new Segment(SegmentKind.RightTerms, null, -1);
            case "label":
                return new Segment(SegmentKind.CurrentLabel, null, -1);
            case "raw":
                return new Segment(SegmentKind.CurrentRaw, null, -1);
            case "value":
                return new Segment(SegmentKind.CurrentValue, null, -1);
            case "unit":
                return new Segment(SegmentKind.CurrentUnit, null, -1);
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? (SegmentKind?)null : name[..colon] switch
        {
            "cell" => SegmentKind.CellValue,
            "label" => SegmentKind.CellLabel,
            "row" => SegmentKind.RowLabel,
            "rowpath" => SegmentKind.RowPath,
            "col" => SegmentKind.ColumnLabel,
            _ => null,
        };
        if (kind is null)
        {
            throw new FormDefinitionException($"unknown placeholder {{{name}}} in message \"{template}\"");
        }

        var cellId = name[(colon + 1)..];
        return form.TryGetCell(cellId, out var cell)
            ? new Segment(kind.Value, null, cell.Index)
            : throw new FormDefinitionException($"unknown cell '{cellId}' in message \"{template}\"");
    }

    private static void AppendSide(StringBuilder builder, IReadOnlyList<Term> side, MessageContext context)
    {
        if (side is [{ IsConstant: false, Negative: false } only] && context.IsBlank(only))
        {
            builder.Append(BlankText);
            return;
        }

        builder.Append(FixedPoint.Format(context.Sum(side)));
    }

    private static void AppendTerms(StringBuilder builder, IReadOnlyList<Term> side, MessageContext context)
    {
        for (var i = 0; i < side.Count; i++)
        {
            var term = side[i];
            if (i > 0)
            {
                builder.Append(term.Negative ? " − " : " + ");
            }
            else if (term.Negative)
            {
                builder.Append('−');
            }

            builder.Append(FixedPoint.Format(context.Value(term)));
        }
    }

    private readonly record struct Segment(SegmentKind Kind, string? Text, int Cell);
}

/// <summary>What a message is rendered from: the table, last year's values, the failed comparison, the cell checked.</summary>
internal sealed record MessageContext(NormalizedTable Table, PreviousYearTable? Previous, Comparison? Comparison, int CurrentCell)
{
    public long Value(Term term)
    {
        if (term.IsConstant)
        {
            return term.ScaledConstant;
        }

        return term.Previous ? Previous!.Scaled[term.CellIndex] : Table.GetScaled(term.CellIndex);
    }

    public bool IsBlank(Term term) =>
        term.Previous ? !Previous!.Present[term.CellIndex] : Table.IsBlank(term.CellIndex);

    public long Sum(IReadOnlyList<Term> side)
    {
        long sum = 0;
        foreach (var term in side)
        {
            sum += term.Negative ? -Value(term) : Value(term);
        }

        return sum;
    }
}
