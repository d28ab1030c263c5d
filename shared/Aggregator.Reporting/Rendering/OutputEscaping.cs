using System.Net;
using System.Text;

namespace Aggregator.Reporting.Rendering;

/// <summary>How text from the model is made safe for each output format.</summary>
internal static class OutputEscaping
{
    public static Func<string, string> For(ReportOutputFormat format) => format switch
    {
        ReportOutputFormat.Html => Html,
        ReportOutputFormat.Markdown => Markdown,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>&amp; &lt; &gt; " ' become entities, so the text is safe in element content and quoted attributes.</summary>
    public static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// Markdown punctuation is backslash-escaped, so a unit's text can neither open raw HTML (&lt;script&gt;) nor break a
    /// table (|) nor turn into emphasis or links; a line break becomes a space since every model string is one line.
    /// </summary>
    public static string Markdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '&' or '~' or '!':
                    escaped.Append('\\').Append(c);
                    break;
                case '\r':
                    break;
                case '\n':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
