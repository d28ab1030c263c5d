using System.Text;

namespace Aggregator.Import;

/// <summary>
/// Compares a label printed in a department's table with the form's label: spacing of every kind, line breaks,
/// ASCII or full-width brackets and digits, 1、/1．/1. numbering and quotation marks do not count, and a printed
/// note or unit in brackets after the label (（万元）, （区分处理的…）) is allowed on either side.
/// </summary>
internal static class PrintedLabel
{
    public static string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var original in text)
        {
            var c = original;
            if (char.IsWhiteSpace(c) || c is '\u200B' or '\uFEFF' or '“' or '”' or '"' or '‘' or '’' or '\'' or '「' or '」')
            {
                continue;
            }

            if (c is >= '０' and <= '９')
            {
                c = (char)(c - '０' + '0');
            }

            c = c switch
            {
                '(' => '（',
                ')' => '）',
                ':' => '：',
                ',' => '，',
                '／' => '/',
                '．' => '.',
                _ => c,
            };

            // 1、 and 1. number the same item.
            if (c == '、' && result.Length > 0 && char.IsAsciiDigit(result[^1]))
            {
                c = '.';
            }

            result.Append(c);
        }

        return result.ToString();
    }

    /// <summary>Whether the normalised printed text <paramref name="printed"/> is the normalised form label <paramref name="label"/>.</summary>
    public static bool Matches(string printed, string label, out string? remainder)
    {
        remainder = null;
        if (printed.Length == 0 || label.Length == 0)
        {
            return false;
        }

        if (string.Equals(printed, label, StringComparison.Ordinal))
        {
            return true;
        }

        if (printed.StartsWith(label, StringComparison.Ordinal) && printed[label.Length] == '（')
        {
            remainder = printed[label.Length..];
            return true;
        }

        return label.Length > printed.Length && printed.Length >= 2
            && label.StartsWith(printed, StringComparison.Ordinal) && label[printed.Length] == '（';
    }

    /// <summary>The money unit a printed note names, e.g. 万元 in （万元） or （单位：万元）.</summary>
    public static string? MoneyUnit(string? remainder)
    {
        if (remainder is null)
        {
            return null;
        }

        var inner = remainder.Trim('（', '）').Replace("单位：", "", StringComparison.Ordinal);
        return inner is "元" or "千元" or "万元" or "亿元" ? inner : null;
    }
}
