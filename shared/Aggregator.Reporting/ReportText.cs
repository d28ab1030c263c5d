using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Reporting;

/// <summary>
/// The district office's own text of a report: 一 (an opening and the five usual parts), 五, 六, the office's full
/// name, the publication date and optional contact and address lines. Paragraphs are separated by line breaks; a
/// null part is not supplied and keeps the report's placeholder.
/// </summary>
public sealed record ReportText
{
    /// <summary>The compiling office's full name, printed in the opening and the signature (温州市洞头区人民政府办公室).</summary>
    public string? CompiledBy { get; init; }

    /// <summary>The publication date printed under the signature.</summary>
    public DateOnly? PublishedOn { get; init; }

    public string? Contact { get; init; }

    public string? Address { get; init; }

    /// <summary>一、总体情况: the office's opening words, before the five parts.</summary>
    public string? Overview { get; init; }

    public string? Proactive { get; init; }

    public string? Applications { get; init; }

    public string? Management { get; init; }

    public string? Platform { get; init; }

    public string? Oversight { get; init; }

    /// <summary>五、存在的主要问题及改进情况.</summary>
    public string? Problems { get; init; }

    /// <summary>六、其他需要报告的事项.</summary>
    public string? Other { get; init; }

    /// <summary>Characters one part may have; a whole year's report text is a few thousand.</summary>
    public const int MaxPartLength = 20_000;

    /// <summary>Characters the office name, contact and address lines may have.</summary>
    public const int MaxLineLength = 200;

    /// <summary>The fields that break the length limits or hold a line break where one line is expected.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Check()
    {
        var problems = new List<KeyValuePair<string, string>>();
        void Line(string field, string? value)
        {
            if (value is null)
            {
                return;
            }

            if (value.Length > MaxLineLength)
            {
                problems.Add(new(field, $"不能超过 {MaxLineLength} 个字符"));
            }
            else if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                problems.Add(new(field, "应为一行文字"));
            }
        }

        void Part(string field, string? value)
        {
            if (value is { Length: > MaxPartLength })
            {
                problems.Add(new(field, $"不能超过 {MaxPartLength} 个字符"));
            }
        }

        Line("compiled_by", CompiledBy);
        Line("contact", Contact);
        Line("address", Address);
        Part("overview", Overview);
        Part("proactive", Proactive);
        Part("applications", Applications);
        Part("management", Management);
        Part("platform", Platform);
        Part("oversight", Oversight);
        Part("problems", Problems);
        Part("other", Other);
        return problems;
    }
}

/// <summary>A report text file that cannot be read: the message names the file and line, in Chinese.</summary>
public sealed class ReportTextException(string message, int line) : Exception(message)
{
    /// <summary>The 1-based line of the file.</summary>
    public int Line { get; } = line;
}

/// <summary>
/// Reads the office's text from a Markdown file with one heading per part:
/// <code>
/// 编制单位：温州市洞头区人民政府办公室
/// 发布日期：2020年1月20日
/// 联系方式：0577-12345678
/// 地址：洞头区北岙街道人民路1号
///
/// # 一、总体情况
/// （开头的话）
/// ## 主动公开
/// ## 依申请公开
/// ## 政府信息管理
/// ## 平台建设
/// ## 监督保障
/// # 五、存在的主要问题及改进情况
/// # 六、其他需要报告的事项
/// </code>
/// The lines before the first heading are 键：值 lines; consecutive lines form one paragraph, blank lines separate
/// paragraphs. Any other heading or key is refused with its line.
/// </summary>
public static partial class ReportTextMarkdown
{
    /// <summary>The level-1 headings, as they may be written (numbering optional).</summary>
    public static IReadOnlyList<string> SectionHeadings { get; } = ["一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"];

    /// <summary>The level-2 headings under 一.</summary>
    public static IReadOnlyList<string> OverviewHeadings { get; } = ["主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"];

    /// <summary>The keys of the lines before the first heading.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["编制单位", "发布日期", "联系方式", "地址"];

    /// <exception cref="ReportTextException">A line that is not one of the known headings or keys, a date that cannot
    /// be read, or a part given twice.</exception>
    public static ReportText Parse(string markdown, string fileName)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = new ReportText();
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? current = null;
        string? section = null;
        var paragraph = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        void Flush()
        {
            if (paragraph.Length > 0 && current is not null)
            {
                parts[current].Add(paragraph.ToString());
            }

            paragraph.Clear();
        }

        void Start(string part, int lineNumber, string heading)
        {
            Flush();
            if (seen.TryGetValue(part, out var first))
            {
                throw Error(fileName, lineNumber, $"“{heading}”重复出现（第 {first} 行已有）");
            }

            seen[part] = lineNumber;
            parts[part] = [];
            current = part;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim().Trim('\u3000', '\uFEFF');
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                var level = heading.Groups[1].Value.Length;
                var title = heading.Groups[2].Value.Trim();
                if (level == 1)
                {
                    section = SectionKey(title)
                        ?? throw Error(fileName, number, $"未知的标题“{line}”；一级标题应为 {string.Join("、", SectionHeadings.Select(h => "# " + h))}");
                    Start(section, number, line);
                }
                else if (level == 2 && section == "overview")
                {
                    var part = OverviewKey(title)
                        ?? throw Error(fileName, number, $"未知的标题“{line}”；“一、总体情况”下的二级标题应为 {string.Join("、", OverviewHeadings.Select(h => "## " + h))}");
                    Start(part, number, line);
                }
                else
                {
                    throw Error(fileName, number, level == 2
                        ? $"二级标题“{line}”只能写在“# 一、总体情况”之下"
                        : $"不支持的标题“{line}”；只用一级标题（#）写一、五、六部分，二级标题（##）写总体情况的五个方面");
                }

                continue;
            }

            if (current is null)
            {
                if (line.Length == 0 || line == "---")
                {
                    continue;
                }

                text = KeyLine(text, line, fileName, number);
                continue;
            }

            if (line.Length == 0)
            {
                Flush();
            }
            else
            {
                paragraph.Append(line);
            }
        }

        Flush();
        string? Joined(string key) => parts.TryGetValue(key, out var list) && list.Count > 0 ? string.Join("\n", list) : null;
        return text with
        {
            Overview = Joined("overview"),
            Proactive = Joined("proactive"),
            Applications = Joined("applications"),
            Management = Joined("management"),
            Platform = Joined("platform"),
            Oversight = Joined("oversight"),
            Problems = Joined("problems"),
            Other = Joined("other"),
        };
    }

    /// <summary>Reads a date written 2020年1月20日, 2020-01-20 or 2020/1/20.</summary>
    public static DateOnly? ParseDate(string value)
    {
        var match = DateText().Match(value.Trim());
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    private static ReportText KeyLine(ReportText text, string line, string fileName, int number)
    {
        var separator = line.IndexOfAny(['：', ':']);
        if (separator <= 0)
        {
            throw Error(fileName, number, $"第一个标题之前只能写“键：值”行（{string.Join("、", Keys)}），而不是“{Shorten(line)}”");
        }

        var key = line[..separator].Trim();
        var value = line[(separator + 1)..].Trim();
        switch (key)
        {
            case "编制单位":
                return text with { CompiledBy = value.Length == 0 ? null : value };
            case "发布日期":
                return text with
                {
                    PublishedOn = ParseDate(value) ?? throw Error(fileName, number, $"发布日期“{value}”无法识别，应写作 2020年1月20日 或 2020-01-20"),
                };
            case "联系方式":
                return text with { Contact = value.Length == 0 ? null : value };
            case "地址":
                return text with { Address = value.Length == 0 ? null : value };
            default:
                throw Error(fileName, number, $"未知的项目“{key}”；可用的项目：{string.Join("、", Keys)}");
        }
    }

    private static string? SectionKey(string title) => StripNumbering(title, out var numeral) switch
    {
        "总体情况" or "概况" when numeral is null or "一" => "overview",
        "存在的主要问题及改进情况" or "存在的主要问题及改进措施" when numeral is null or "五" => "problems",
        "其他需要报告的事项" when numeral is null or "六" => "other",
        _ => null,
    };

    private static string? OverviewKey(string title) => StripNumbering(title, out _) switch
    {
        "主动公开" or "主动公开情况" => "proactive",
        "依申请公开" or "依申请公开情况" => "applications",
        "政府信息管理" or "政府信息管理情况" => "management",
        "平台建设" or "政府信息公开平台建设" or "平台建设情况" => "platform",
        "监督保障" or "监督保障情况" => "oversight",
        _ => null,
    };

    private static string StripNumbering(string title, out string? numeral)
    {
        var match = Numbering().Match(title);
        numeral = match.Success && match.Groups[1].Success ? match.Groups[1].Value : null;
        return match.Success ? title[match.Length..].Trim() : title;
    }

    private static string Shorten(string line) => line.Length > 30 ? line[..30] + "…" : line;

    private static ReportTextException Error(string fileName, int line, string message) =>
        new($"{fileName} 第 {line} 行：{message}", line);

    [GeneratedRegex(@"^(#{1,6})\s*(.*?)\s*#*$")]
    private static partial Regex Heading();

    // 一、 （一） (一) 1. 1、 — the numbering an office may write before a part's name.
    [GeneratedRegex(@"^(?:([一二三四五六七八九十]+)、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])\s*")]
    private static partial Regex Numbering();

    [GeneratedRegex(@"^(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?$")]
    private static partial Regex DateText();
}
