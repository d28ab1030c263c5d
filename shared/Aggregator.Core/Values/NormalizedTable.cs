using Aggregator.Core.Forms;

namespace Aggregator.Core.Values;

/// <summary>
/// One unit's table of one format after normalisation: a number per cell (money in 万元) or blank, with the
/// text that was written kept beside it. Immutable.
/// </summary>
public sealed class NormalizedTable
{
    private readonly long[] _scaled;
    private readonly bool[] _present;
    private readonly string?[] _rawTexts;
    private readonly bool[] _unitAssumed;

    internal NormalizedTable(FormDefinition form, long[] scaled, bool[] present, string?[] rawTexts, bool[] unitAssumed)
    {
        Form = form;
        _scaled = scaled;
        _present = present;
        _rawTexts = rawTexts;
        _unitAssumed = unitAssumed;
    }

    /// <summary>The format the table is in.</summary>
    public FormDefinition Form { get; }

    /// <summary>The cells that hold a number (including an explicit 0), in printed order.</summary>
    public IEnumerable<NormalizedCell> FilledCells
    {
        get
        {
            for (var i = 0; i < _scaled.Length; i++)
            {
                if (_present[i])
                {
                    yield return new NormalizedCell(Form.Cells[i], FixedPoint.ToDecimal(_scaled[i]), _rawTexts[i]);
                }
            }
        }
    }

    internal ReadOnlySpan<long> ScaledValues => _scaled;

    internal ReadOnlySpan<bool> PresentFlags => _present;

    /// <summary>A table of the form with every cell blank.</summary>
    public static NormalizedTable Blank(FormDefinition form)
    {
        var count = form.Cells.Count;
        return new NormalizedTable(form, new long[count], new bool[count], new string?[count], new bool[count]);
    }

    /// <summary>
    /// Builds a table from already normalised values (money in 万元), e.g. as stored; a null value is blank.
    /// </summary>
    /// <exception cref="ArgumentException">An id is not a cell of the form, or a value has more than six decimals.</exception>
    public static NormalizedTable FromValues(FormDefinition form, IEnumerable<KeyValuePair<string, decimal?>> values)
    {
        var count = form.Cells.Count;
        var scaled = new long[count];
        var present = new bool[count];
        foreach (var (cellId, value) in values)
        {
            var index = IndexOf(form, cellId);
            present[index] = value is not null;
            scaled[index] = value is { } v ? ToScaled(cellId, v) : 0;
        }

        return new NormalizedTable(form, scaled, present, new string?[count], new bool[count]);
    }

    /// <summary>The value of a cell, or null when blank.</summary>
    public decimal? GetValue(int index) => _present[index] ? FixedPoint.ToDecimal(_scaled[index]) : null;

    /// <summary>The value of a cell, or null when blank.</summary>
    /// <exception cref="ArgumentException">The id is not a cell of the form.</exception>
    public decimal? GetValue(string cellId) => GetValue(IndexOf(Form, cellId));

    /// <summary>Whether the cell was left blank (an explicit 0 is not blank).</summary>
    public bool IsBlank(int index) => !_present[index];

    /// <summary>The text that was written, when the value came from text.</summary>
    public string? GetRawText(int index) => _rawTexts[index];

    /// <summary>The text that was written, when the value came from text.</summary>
    public string? GetRawText(string cellId) => _rawTexts[IndexOf(Form, cellId)];

    /// <summary>Whether a money amount was written without a unit and taken as 万元.</summary>
    public bool IsUnitAssumed(int index) => _unitAssumed[index];

    /// <summary>A copy with one cell changed (null = blank); the copy keeps no raw text for that cell.</summary>
    public NormalizedTable WithValue(string cellId, decimal? value)
    {
        var index = IndexOf(Form, cellId);
        var scaled = (long[])_scaled.Clone();
        var present = (bool[])_present.Clone();
        var raw = (string?[])_rawTexts.Clone();
        var assumed = (bool[])_unitAssumed.Clone();
        present[index] = value is not null;
        scaled[index] = value is { } v ? ToScaled(cellId, v) : 0;
        raw[index] = null;
        assumed[index] = false;
        return new NormalizedTable(Form, scaled, present, raw, assumed);
    }

    internal long GetScaled(int index) => _scaled[index];

    private static int IndexOf(FormDefinition form, string cellId) =>
        form.TryGetCell(cellId, out var cell)
            ? cell.Index
            : throw new ArgumentException($"Form {form.Id} has no cell '{cellId}'.", nameof(cellId));

    private static long ToScaled(string cellId, decimal value) =>
        Math.Abs(value) <= FixedPoint.MaxTotalMagnitude && FixedPoint.TryFromDecimal(value, out var scaled)
            ? scaled
            : throw new ArgumentException($"Value {value} of cell '{cellId}' is out of range or has more than six decimals.", nameof(value));
}
