using System.Text.RegularExpressions;

namespace Aggregator.Core.Forms;

/// <summary>Builds the readable label of a cell from its printed row and column labels.</summary>
internal static partial class CellLabel
{
    public static string Compose(string? tablePrefix, string rowPath, string? columnPath)
    {
        var label = string.IsNullOrEmpty(tablePrefix) ? rowPath : $"{tablePrefix} {rowPath}";
        return columnPath is null ? label : $"{label}（{columnPath}）";
    }

    /// <summary>Whether a printed label starts with its own top-level numbering: 一、… or （一）….</summary>
    public static bool HasOwnNumbering(string label) => OwnNumbering().IsMatch(label);

    /// <summary>Drops a trailing printed fill note such as （不同渠道和方式公开相同信息计1条）.</summary>
    public static string WithoutFillNote(string label)
    {
        if (!label.EndsWith('）'))
        {
            return label;
        }

        var open = label.LastIndexOf('（');
        return open > 0 && !OwnNumbering().IsMatch(label[open..]) ? label[..open] : label;
    }

    [GeneratedRegex("^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")]
    private static partial Regex OwnNumbering();
}
