using System.Text;
using System.Text.Json;

namespace Aggregator.Application.Submissions;

/// <summary>
/// Finds cell ids written twice in a document's <c>values</c> or <c>raw</c> object. A JSON object with a repeated
/// name is legal text, and a parser keeps only the last value, so without this the first value would vanish silently.
/// </summary>
internal static class DuplicateCellScanner
{
    private static readonly string[] CellObjects = ["values", "raw", "units_from_header"];

    /// <summary>The repeated cell ids, in the order of their second occurrence; empty for anything unparseable.</summary>
    public static IReadOnlyList<string> Find(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        var duplicates = new List<string>();
        HashSet<string>? names = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        var name = reader.GetString();
                        names = CellObjects.Contains(name, StringComparer.Ordinal) ? new HashSet<string>(StringComparer.Ordinal) : null;
                        break;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 2 && names is not null:
                        var cell = reader.GetString()!;
                        if (!names.Add(cell) && !duplicates.Contains(cell, StringComparer.Ordinal))
                        {
                            duplicates.Add(cell);
                        }

                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                        names = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The document was parsed successfully before this scan; anything odd here is left to that parser.
        }

        return duplicates;
    }
}
