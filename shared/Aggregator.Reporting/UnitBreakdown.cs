using Aggregator.Core.Forms;
using Aggregator.Reporting.Model;

namespace Aggregator.Reporting;

/// <summary>
/// The per-unit side of a consolidated report (附件1), gathered from the included units' values one cell at a time,
/// in any order: each unit's key figures and, per cell, the sum over the units, how many put a non-zero value into
/// it and the largest of those. It keeps a few numbers per unit and per cell, never a unit's whole table, so a report
/// over many units can be fed from a streamed query. Not thread-safe while values are added; read-only afterwards.
/// </summary>
public sealed class UnitBreakdown
{
    private readonly Dictionary<string, int> _unitIndexes;
    private readonly int[] _keyColumnOfCell;
    private readonly decimal?[] _keyValues;
    private readonly decimal[] _sums;
    private readonly int[] _counts;
    private readonly List<(int Unit, decimal Value)>?[] _largest;

    /// <param name="unitCodes">The included units, in the order the report lists them.</param>
    /// <exception cref="ArgumentException">A unit code appears twice.</exception>
    public UnitBreakdown(FormDefinition form, IReadOnlyList<string> unitCodes)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(unitCodes);
        Form = form;
        UnitCodes = unitCodes;
        _unitIndexes = new Dictionary<string, int>(unitCodes.Count, StringComparer.Ordinal);
        for (var i = 0; i < unitCodes.Count; i++)
        {
            if (!_unitIndexes.TryAdd(unitCodes[i], i))
            {
                throw new ArgumentException($"Unit '{unitCodes[i]}' is listed twice.", nameof(unitCodes));
            }
        }

        KeyCells = BreakdownBuilder.KeyCellsOf(form);
        _keyColumnOfCell = new int[form.Cells.Count];
        Array.Fill(_keyColumnOfCell, -1);
        for (var k = 0; k < KeyCells.Count; k++)
        {
            _keyColumnOfCell[KeyCells[k].Cell.Index] = k;
        }

        _keyValues = new decimal?[unitCodes.Count * KeyCells.Count];
        _sums = new decimal[form.Cells.Count];
        _counts = new int[form.Cells.Count];
        _largest = new List<(int, decimal)>?[form.Cells.Count];
    }

    public FormDefinition Form { get; }

    public IReadOnlyList<string> UnitCodes { get; }

    internal IReadOnlyList<(CellDefinition Cell, string Label)> KeyCells { get; }

    /// <summary>The breakdown of units whose values are all in memory already.</summary>
    /// <exception cref="ArgumentException">A value names a cell the form does not have.</exception>
    public static UnitBreakdown From(FormDefinition form, IReadOnlyList<IncludedUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var breakdown = new UnitBreakdown(form, [.. units.Select(u => u.Code)]);
        for (var i = 0; i < units.Count; i++)
        {
            foreach (var (cellId, value) in units[i].Values)
            {
                breakdown.Add(i, cellId, value);
            }
        }

        return breakdown;
    }

    /// <summary>Adds one included unit's value of one cell (null = blank); each unit's cell is given once.</summary>
    /// <exception cref="ArgumentException">The unit is not included, or the form has no such cell.</exception>
    public void Add(string unitCode, string cellId, decimal? value) =>
        Add(_unitIndexes.TryGetValue(unitCode, out var unit) ? unit : throw new ArgumentException($"Unit '{unitCode}' is not included.", nameof(unitCode)), cellId, value);

    private void Add(int unit, string cellId, decimal? value)
    {
        if (!Form.TryGetCell(cellId, out var cell))
        {
            throw new ArgumentException($"Format {Form.Id} has no cell '{cellId}' (in unit {UnitCodes[unit]}).", nameof(cellId));
        }

        if (_keyColumnOfCell[cell.Index] is var column and >= 0)
        {
            _keyValues[(unit * KeyCells.Count) + column] = value;
        }

        if (cell.IsHeading || value is not { } number || number == 0m)
        {
            return;
        }

        _sums[cell.Index] += number;
        _counts[cell.Index]++;
        var largest = _largest[cell.Index] ??= new List<(int, decimal)>(CellSource.MaxListed + 1);
        // Ordered by magnitude, largest first; of equal values the unit listed first stays ahead, whatever the
        // order the values come in.
        var at = largest.FindIndex(entry => Math.Abs(entry.Value) < Math.Abs(number) || (Math.Abs(entry.Value) == Math.Abs(number) && entry.Unit > unit));
        if (at >= 0)
        {
            largest.Insert(at, (unit, number));
            if (largest.Count > CellSource.MaxListed)
            {
                largest.RemoveAt(largest.Count - 1);
            }
        }
        else if (largest.Count < CellSource.MaxListed)
        {
            largest.Add((unit, number));
        }
    }

    internal decimal? KeyValue(int unit, int column) => _keyValues[(unit * KeyCells.Count) + column];

    /// <summary>The sum of every included unit's value of the cell (blank as 0).</summary>
    internal decimal SumOf(int cellIndex) => _sums[cellIndex];

    /// <summary>How many included units put a non-zero value into the cell.</summary>
    internal int CountOf(int cellIndex) => _counts[cellIndex];

    /// <summary>The largest contributors of the cell (at most <see cref="CellSource.MaxListed"/>), largest first.</summary>
    internal IReadOnlyList<(int Unit, decimal Value)> LargestOf(int cellIndex) => _largest[cellIndex] ?? [];
}
