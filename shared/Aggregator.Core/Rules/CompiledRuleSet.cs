using Aggregator.Core.Forms;
using Aggregator.Core.Values;

namespace Aggregator.Core.Rules;

/// <summary>
/// A form's rules flattened for evaluation over a table's dense value array: every comparison becomes
/// "constant + Σ positive cells − Σ negative cells  op  0" over index arrays, so the hot path does no lookups,
/// no allocation and no string work; messages are built only for rules that fail.
/// </summary>
internal sealed class CompiledRuleSet
{
    private readonly Step[] _steps;
    private readonly CompiledInstance[] _instances;
    private readonly CompiledPredicate[] _predicates;
    private readonly int[] _termCells;

    private CompiledRuleSet(
        IReadOnlyList<RuleDefinition> rules,
        Step[] steps,
        CompiledInstance[] instances,
        CompiledPredicate[] predicates,
        int[] termCells)
    {
        Rules = rules;
        _steps = steps;
        _instances = instances;
        _predicates = predicates;
        _termCells = termCells;
    }

    public static CompiledRuleSet Empty { get; } = new([], [], [], [], []);

    public IReadOnlyList<RuleDefinition> Rules { get; }

    private enum StepKind : byte
    {
        Expressions,
        CrossYearExpressions,
        Nonnegative,
        MoneyUnitStated,
    }

    private enum PredicateKind : byte
    {
        Comparison,
        Blank,
        Filled,
    }

    /// <summary>Adds a violation to <paramref name="sink"/> (created on the first one) for every failed rule.</summary>
    public void Evaluate(NormalizedTable table, NormalizedTable? previousYear, ref List<RuleViolation>? sink)
    {
        var values = table.ScaledValues;
        var present = table.PresentFlags;
        PreviousYearTable? previous = null;
        long[]? bothValues = null;
        bool[]? bothPresent = null;
        foreach (var step in _steps)
        {
            switch (step.Kind)
            {
                case StepKind.Expressions:
                    for (var i = step.Start; i < step.End; i++)
                    {
                        if (!Holds(in _instances[i], values, present))
                        {
                            (sink ??= []).Add(Describe(step, in _instances[i], table, null, values, present));
                        }
                    }

                    break;
                case StepKind.CrossYearExpressions when previousYear is not null:
                    if (previous is null)
                    {
                        previous = new PreviousYearTable(table, previousYear);
                        bothValues = [.. values, .. previous.Scaled];
                        bothPresent = [.. present, .. previous.Present];
                    }

                    for (var i = step.Start; i < step.End; i++)
                    {
                        if (Covers(in _instances[i], previous) && !Holds(in _instances[i], bothValues, bothPresent))
                        {
                            (sink ??= []).Add(Describe(step, in _instances[i], table, previous, bothValues, bothPresent));
                        }
                    }

                    break;
                case StepKind.Nonnegative:
                    CheckNonnegative(step, table, values, present, ref sink);
                    break;
                case StepKind.MoneyUnitStated:
                    foreach (var cell in step.Cells!)
                    {
                        if (table.IsUnitAssumed(cell))
                        {
                            (sink ??= []).Add(DescribeCell(step, step.Messages![0], table, cell));
                        }
                    }

                    break;
            }
        }
    }

    private bool Holds(in CompiledInstance instance, ReadOnlySpan<long> values, ReadOnlySpan<bool> present)
    {
        for (var p = instance.AntecedentStart; p < instance.ConsequentStart; p++)
        {
            if (!Test(in _predicates[p], values, present))
            {
                return true;
            }
        }

        for (var p = instance.ConsequentStart; p < instance.End; p++)
        {
            if (!Test(in _predicates[p], values, present))
            {
                return false;
            }
        }

        return true;
    }

    private bool Test(in CompiledPredicate predicate, ReadOnlySpan<long> values, ReadOnlySpan<bool> present)
    {
        if (predicate.Kind == PredicateKind.Blank)
        {
            return !present[predicate.BlankCell];
        }

        if (predicate.Kind == PredicateKind.Filled)
        {
            return present[predicate.BlankCell];
        }

        var difference = predicate.Constant;
        var terms = _termCells;
        for (var t = predicate.TermStart; t < predicate.PositiveEnd; t++)
        {
            difference += values[terms[t]];
        }

        for (var t = predicate.PositiveEnd; t < predicate.TermEnd; t++)
        {
            difference -= values[terms[t]];
        }

        return predicate.Operator switch
        {
            ComparisonOperator.Equal => difference == 0,
            ComparisonOperator.LessOrEqual => difference <= 0,
            ComparisonOperator.GreaterOrEqual => difference >= 0,
            ComparisonOperator.Less => difference < 0,
            _ => difference > 0,
        };
    }

    private bool Covers(in CompiledInstance instance, PreviousYearTable previous)
    {
        foreach (var (cell, isPrevious) in instance.Source.Expression.Predicates.SelectMany(RuleExpression.CellsOf))
        {
            if (isPrevious && !previous.Available[cell])
            {
                return false;
            }
        }

        return true;
    }

    private void CheckNonnegative(in Step step, NormalizedTable table, ReadOnlySpan<long> values, ReadOnlySpan<bool> present, ref List<RuleViolation>? sink)
    {
        var cells = table.Form.Cells;
        for (var i = 0; i < values.Length; i++)
        {
            if (!present[i])
            {
                continue;
            }

            var type = cells[i].Type;
            var value = values[i];
            if (value < 0 && type != CellType.SignedInteger)
            {
                (sink ??= []).Add(DescribeCell(step, step.Messages![0], table, i));
            }
            else if (type != CellType.Decimal && !FixedPoint.IsWhole(value))
            {
                (sink ??= []).Add(DescribeCell(step, step.Messages![1], table, i));
            }
        }
    }

    private RuleViolation Describe(
        in Step step,
        in CompiledInstance instance,
        NormalizedTable table,
        PreviousYearTable? previous,
        ReadOnlySpan<long> values,
        ReadOnlySpan<bool> present)
    {
        var source = instance.Source;
        var consequent = source.Expression.Consequent;
        var parts = new List<string>();
        for (var i = 0; i < consequent.Count; i++)
        {
            if (Test(in _predicates[instance.ConsequentStart + i], values, present))
            {
                continue;
            }

            var template = source.Messages.Length == 1 ? source.Messages[0] : source.Messages[i];
            parts.Add(template.Render(new MessageContext(table, previous, consequent[i] as Comparison, -1)));
            if (source.Messages.Length == 1)
            {
                break;
            }
        }

        var cells = new List<ViolationCell>();
        var seen = new HashSet<(int, bool)>();
        foreach (var (cell, isPrevious) in source.Expression.Predicates.SelectMany(RuleExpression.CellsOf))
        {
            if (seen.Add((cell, isPrevious)))
            {
                cells.Add(isPrevious
                    ? new ViolationCell(
                        "prev:" + table.Form.Cells[cell].Id,
                        previous!.Present[cell] ? FixedPoint.ToDecimal(previous.Scaled[cell]) : null,
                        previous.RawTexts[cell])
                    : new ViolationCell(table.Form.Cells[cell].Id, table.GetValue(cell), table.GetRawText(cell)));
            }
        }

        return new RuleViolation(step.Rule.Id, step.Rule.Severity, step.Rule.Official, source.Binding, cells, string.Join("；", parts));
    }

    private static RuleViolation DescribeCell(in Step step, MessageTemplate template, NormalizedTable table, int cell)
    {
        var id = table.Form.Cells[cell].Id;
        return new RuleViolation(
            step.Rule.Id,
            step.Rule.Severity,
            step.Rule.Official,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["cell"] = id },
            [new ViolationCell(id, table.GetValue(cell), table.GetRawText(cell))],
            template.Render(new MessageContext(table, null, null, cell)));
    }

    private readonly record struct Step(StepKind Kind, RuleDefinition Rule, int Start, int End, int[]? Cells, MessageTemplate[]? Messages);

    private readonly record struct CompiledInstance(int AntecedentStart, int ConsequentStart, int End, RuleInstance Source);

    private readonly record struct CompiledPredicate(
        PredicateKind Kind,
        ComparisonOperator Operator,
        int TermStart,
        int PositiveEnd,
        int TermEnd,
        long Constant,
        int BlankCell);

    /// <summary>Collects rules in file order and lays them out in flat arrays.</summary>
    internal sealed class Builder(FormDefinition form)
    {
        private readonly List<RuleDefinition> _rules = [];
        private readonly List<Step> _steps = [];
        private readonly List<CompiledInstance> _instances = [];
        private readonly List<CompiledPredicate> _predicates = [];
        private readonly List<int> _termCells = [];
        private readonly int _cellCount = form.Cells.Count;

        public void AddExpressionRule(RuleDefinition rule, IReadOnlyList<RuleInstance> instances)
        {
            var start = _instances.Count;
            foreach (var instance in instances)
            {
                var antecedentStart = _predicates.Count;
                foreach (var predicate in instance.Expression.Antecedent)
                {
                    _predicates.Add(Flatten(predicate));
                }

                var consequentStart = _predicates.Count;
                foreach (var predicate in instance.Expression.Consequent)
                {
                    _predicates.Add(Flatten(predicate));
                }

                _instances.Add(new CompiledInstance(antecedentStart, consequentStart, _predicates.Count, instance));
            }

            _rules.Add(rule);
            var kind = rule.IsCrossYear ? StepKind.CrossYearExpressions : StepKind.Expressions;
            _steps.Add(new Step(kind, rule, start, _instances.Count, null, null));
        }

        public void AddNonnegativeCheck(RuleDefinition rule, MessageTemplate negative, MessageTemplate fraction)
        {
            _rules.Add(rule);
            _steps.Add(new Step(StepKind.Nonnegative, rule, 0, 0, null, [negative, fraction]));
        }

        public void AddMoneyUnitCheck(RuleDefinition rule, int[] cells, MessageTemplate message)
        {
            _rules.Add(rule);
            _steps.Add(new Step(StepKind.MoneyUnitStated, rule, 0, 0, cells, [message]));
        }

        public CompiledRuleSet Build() =>
            new(_rules.ToArray(), [.. _steps], [.. _instances], [.. _predicates], [.. _termCells]);

        // Cells of the previous year are addressed past the end of this year's cells, in an array holding both.
        private CompiledPredicate Flatten(Predicate predicate)
        {
            if (predicate is BlankTest blank)
            {
                return new CompiledPredicate(blank.Negated ? PredicateKind.Filled : PredicateKind.Blank, ComparisonOperator.Equal, 0, 0, 0, 0, Address(blank.CellIndex, blank.Previous));
            }

            var comparison = (Comparison)predicate;
            var positive = new List<int>();
            var negative = new List<int>();
            long constant = 0;
            foreach (var (term, onLeft) in comparison.Left.Select(t => (t, true)).Concat(comparison.Right.Select(t => (t, false))))
            {
                var adds = term.Negative != onLeft;
                if (term.IsConstant)
                {
                    constant += adds ? term.ScaledConstant : -term.ScaledConstant;
                }
                else
                {
                    (adds ? positive : negative).Add(Address(term.CellIndex, term.Previous));
                }
            }

            var start = _termCells.Count;
            _termCells.AddRange(positive);
            var positiveEnd = _termCells.Count;
            _termCells.AddRange(negative);
            return new CompiledPredicate(PredicateKind.Comparison, comparison.Operator, start, positiveEnd, _termCells.Count, constant, 0);
        }

        private int Address(int cell, bool previous) => previous ? cell + _cellCount : cell;
    }
}
