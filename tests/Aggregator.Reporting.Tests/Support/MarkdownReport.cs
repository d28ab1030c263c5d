namespace Aggregator.Reporting.Tests.Support;

/// <summary>Pipe tables read back from a rendered Markdown report.</summary>
public static class MarkdownReport
{
    /// <summary>The first table whose header row has a cell equal to <paramref name="headerCell"/> after
    /// <paramref name="after"/> (a heading or line that precedes it).</summary>
    public static MarkdownTable Table(string markdown, string after, string headerCell)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(after, StringComparison.Ordinal));
        Assert.True(start >= 0, $"'{after}' not found");
        for (var i = start; i < lines.Length - 1; i++)
        {
            if (lines[i].StartsWith('|') && Cells(lines[i]).Contains(headerCell))
            {
                var rows = lines.Skip(i + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells).ToList();
                return new MarkdownTable(Cells(lines[i]), rows, lines[i + 1]);
            }
        }

        throw new KeyNotFoundException($"No table with header '{headerCell}' after '{after}'.");
    }

    /// <summary>The cells of a table line, split at unescaped pipes, trimmed (full-width indentation too).</summary>
    public static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                current.Append(line[i]).Append(line[i + 1]);
                i++;
            }
            else if (line[i] == '|')
            {
                cells.Add(current.ToString().Trim().Trim('\u3000'));
                current.Clear();
            }
            else
            {
                current.Append(line[i]);
            }
        }

        return cells;
    }
}

/// <summary>A Markdown pipe table.</summary>
public sealed record MarkdownTable(IReadOnlyList<string> Header, IReadOnlyList<List<string>> Rows, string Delimiter)
{
    public string Cell(string rowLabel, string columnLabel)
    {
        var column = Header.ToList().IndexOf(columnLabel);
        Assert.True(column >= 0, $"no column '{columnLabel}' in {string.Join(" | ", Header)}");
        var rows = Rows.Where(r => r[0] == rowLabel).ToList();
        Assert.True(rows.Count == 1, $"expected one row '{rowLabel}', found {rows.Count}");
        Assert.Equal(Header.Count, rows[0].Count);
        return rows[0][column];
    }
}
