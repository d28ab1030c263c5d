using System.Globalization;
using Aggregator.Core.CrossYear;
using Aggregator.Core.Forms;
using Aggregator.Core.Rules;
using Aggregator.Core.Values;

namespace Aggregator.Reporting.Model;

/// <summary>Builds 附件4 from the included units and their accepted tables of the year before.</summary>
internal static class YearOverYearBuilder
{
    public static YearOverYearModel Build(FormCatalog catalog, FormDefinition form, ReportInput input)
    {
        if (input.PreviousYear is not { } previousYear)
        {
            return YearOverYearModel.None;
        }

        if (!catalog.TryGet(previousYear.FormatId, out var previousForm))
        {
            throw new ArgumentException($"Unknown format '{previousYear.FormatId}' of the year before.", nameof(input));
        }

        var mapping = YearOverYearMapping.Between(form, previousForm);
        var previousByUnit = previousYear.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var checks = new List<CrossYearCheckModel>();
        var units = new List<UnitChangesModel>();
        var all = new List<(decimal Size, int Unit, int Order, FigureChangeModel Change)>();
        var without = new List<MissingUnitModel>();
        foreach (var unit in input.IncludedUnits)
        {
            if (!previousByUnit.TryGetValue(unit.Code, out var previous))
            {
                without.Add(new MissingUnitModel(unit.Code, unit.Name));
                continue;
            }

            var comparison = YearOverYearComparison.Compare(
                NormalizedTable.FromValues(form, unit.Values), NormalizedTable.FromValues(previousForm, previous.Values));
            checks.AddRange(comparison.Checks.Select(v => new CrossYearCheckModel(
                unit.Code, unit.Name, v.RuleId, v.Severity == Severity.Error ? "错误" : "警告", v.Message)));
            var changes = comparison.Changes.Select(c => Describe(unit, c)).ToList();
            units.Add(new UnitChangesModel(unit.Code, unit.Name, comparison.ComparedFigures, changes.Count, [.. changes.Take(YearOverYearModel.MaxPerUnit)]));
            all.AddRange(changes.Select((c, i) => (Math.Abs(c.ChangeAmount), units.Count, i, c)));
        }

        return new YearOverYearModel(
            true,
            previousYear.Year,
            YearOverYearMapping.FormatName(previousForm),
            YearOverYearMapping.FormatName(form),
            form.Id == previousForm.Id,
            mapping.NotComparable,
            without,
            checks,
            [.. all.OrderByDescending(c => c.Size).ThenBy(c => c.Unit).ThenBy(c => c.Order).Take(YearOverYearModel.MaxOverall).Select(c => c.Change)],
            units);
    }

    private static FigureChangeModel Describe(IncludedUnit unit, FigureChange change)
    {
        var cell = change.Figure.Cell;
        var before = change.Previous ?? 0m;
        var now = change.Current ?? 0m;
        var delta = change.Change;
        var deltaText = CellValueFormatter.Format(cell, delta);
        if (delta > 0 && !deltaText.StartsWith('+'))
        {
            deltaText = "+" + deltaText;
        }

        var rate = change.Rate is { } share
            ? (share > 0 ? "+" : "") + (share * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : "—";
        return new FigureChangeModel(
            unit.Code,
            unit.Name,
            change.Figure.Key,
            change.Figure.Label,
            CellValueFormatter.Format(cell, before),
            CellValueFormatter.Format(cell, now),
            deltaText,
            rate,
            before,
            now,
            delta,
            CellValueFormatter.KindOf(cell));
    }
}
