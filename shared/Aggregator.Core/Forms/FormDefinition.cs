using System.Diagnostics.CodeAnalysis;
using Aggregator.Core.Rules;

namespace Aggregator.Core.Forms;

/// <summary>One national table format (表式) as data: its tables, cells and consistency rules.</summary>
public sealed class FormDefinition
{
    private readonly Dictionary<string, CellDefinition> _cellsById;
    private readonly Dictionary<string, TableDefinition> _tablesById;

    internal FormDefinition(
        string id,
        string title,
        string? issuedBy,
        YearRange validYears,
        IReadOnlyList<string> sections,
        IReadOnlyList<string> narrativeSections,
        IReadOnlyList<string> headerFields,
        IReadOnlyList<TableDefinition> tables,
        IReadOnlyList<CellDefinition> cells)
    {
        Id = id;
        Title = title;
        IssuedBy = issuedBy;
        ValidYears = validYears;
        Sections = sections;
        NarrativeSections = narrativeSections;
        HeaderFields = headerFields;
        Tables = tables;
        Cells = cells;
        _cellsById = cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _tablesById = tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        RuleSet = CompiledRuleSet.Empty;
    }

    /// <summary>The format id, e.g. <c>fmt_2019</c>.</summary>
    public string Id { get; }

    /// <summary>The printed title of the format.</summary>
    public string Title { get; }

    /// <summary>Who issued the format and with which notice.</summary>
    public string? IssuedBy { get; }

    /// <summary>The report years that use this format.</summary>
    public YearRange ValidYears { get; }

    /// <summary>The report's sections in printed order (一、总体情况 …); empty for the old statistics table.</summary>
    public IReadOnlyList<string> Sections { get; }

    /// <summary>The sections that are narrative, not tables.</summary>
    public IReadOnlyList<string> NarrativeSections { get; }

    /// <summary>The printed header and sign-off fields of the old form (填报单位： …).</summary>
    public IReadOnlyList<string> HeaderFields { get; }

    /// <summary>The tables in printed order.</summary>
    public IReadOnlyList<TableDefinition> Tables { get; }

    /// <summary>Every cell, in printed order; <see cref="CellDefinition.Index"/> is the position here.</summary>
    public IReadOnlyList<CellDefinition> Cells { get; }

    /// <summary>The consistency rules (勾稽关系) and built-in value checks.</summary>
    public IReadOnlyList<RuleDefinition> Rules => RuleSet.Rules;

    internal CompiledRuleSet RuleSet { get; set; }

    /// <summary>Finds a cell by its id.</summary>
    public bool TryGetCell(string cellId, [NotNullWhen(true)] out CellDefinition? cell) =>
        _cellsById.TryGetValue(cellId, out cell);

    /// <summary>Finds a table by its id.</summary>
    public bool TryGetTable(string tableId, [NotNullWhen(true)] out TableDefinition? table) =>
        _tablesById.TryGetValue(tableId, out table);

    /// <summary>The cell with this id; throws <see cref="KeyNotFoundException"/> when the form has none.</summary>
    public CellDefinition GetCell(string cellId) =>
        _cellsById.TryGetValue(cellId, out var cell)
            ? cell
            : throw new KeyNotFoundException($"Form {Id} has no cell '{cellId}'.");

    public override string ToString() => Id;
}
