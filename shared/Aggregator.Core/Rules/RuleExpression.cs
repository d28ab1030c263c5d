namespace Aggregator.Core.Rules;

// The parsed form of one expanded rule instance. Only the slow path (messages, involved cells) walks it;
// CompiledRuleSet evaluates flat arrays built from it.

/// <summary>A cell reference (<see cref="CellIndex"/> ≥ 0) or a constant, added or subtracted.</summary>
internal readonly record struct Term(bool Negative, int CellIndex, bool Previous, long ScaledConstant)
{
    public bool IsConstant => CellIndex < 0;
}

internal enum ComparisonOperator
{
    Equal,
    LessOrEqual,
    GreaterOrEqual,
    Less,
    Greater,
}

internal abstract record Predicate;

internal sealed record Comparison(IReadOnlyList<Term> Left, ComparisonOperator Operator, IReadOnlyList<Term> Right) : Predicate;

/// <summary><c>blank(cell)</c>, or with <see cref="Negated"/> <c>filled(cell)</c>.</summary>
internal sealed record BlankTest(int CellIndex, bool Previous, bool Negated = false) : Predicate;

/// <summary><c>antecedent -> consequent</c>; without an arrow the antecedent is empty and the consequent must hold.</summary>
internal sealed record RuleExpression(IReadOnlyList<Predicate> Antecedent, IReadOnlyList<Predicate> Consequent)
{
    public IEnumerable<Predicate> Predicates => Antecedent.Concat(Consequent);

    public bool ReferencesPreviousYear => Predicates.SelectMany(CellsOf).Any(c => c.Previous);

    public static IEnumerable<(int CellIndex, bool Previous)> CellsOf(Predicate predicate) => predicate switch
    {
        Comparison comparison => comparison.Left.Concat(comparison.Right)
            .Where(t => !t.IsConstant)
            .Select(t => (t.CellIndex, t.Previous)),
        BlankTest blank => [(blank.CellIndex, blank.Previous)],
        _ => [],
    };
}
