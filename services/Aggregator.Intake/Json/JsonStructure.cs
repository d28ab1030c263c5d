using System.Text.Json;

namespace Aggregator.Intake.Json;

/// <summary>A property name that occurs twice in one JSON object; <c>ObjectPath</c> is <c>$</c> or <c>$.values</c>, arrays as <c>[]</c>.</summary>
public sealed record DuplicateProperty(string ObjectPath, string Name);

/// <summary>What a structural scan of a JSON text found.</summary>
/// <param name="SyntaxError">Where the text stops being JSON, in Chinese; null when it is JSON.</param>
public sealed record JsonStructure(bool TooDeep, string? SyntaxError, IReadOnlyList<DuplicateProperty> Duplicates)
{
    /// <summary>
    /// Scans strict JSON (no comments, no trailing commas) for nesting deeper than <paramref name="maxDepth"/> and
    /// repeated property names, which a parser would otherwise resolve silently by keeping the last value.
    /// </summary>
    public static JsonStructure Scan(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = maxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        var containers = new Stack<Container>();
        var duplicates = new List<DuplicateProperty>();
        string? lastName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            return new JsonStructure(true, null, duplicates);
                        }

                        var path = containers.TryPeek(out var parent)
                            ? parent.Names is null ? parent.Path + "[]" : $"{parent.Path}.{lastName}"
                            : "$";
                        containers.Push(new Container(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        lastName = reader.GetString()!;
                        var container = containers.Peek();
                        if (!container.Names!.Add(lastName))
                        {
                            duplicates.Add(new DuplicateProperty(container.Path, lastName));
                        }

                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            return new JsonStructure(false, $"第 {exception.LineNumber + 1} 行第 {exception.BytePositionInLine + 1} 个字节处不符合 JSON 语法。", duplicates);
        }
        catch (InvalidOperationException)
        {
            // A property name with an invalid escape (e.g. a lone surrogate) cannot become a string.
            return new JsonStructure(false, "属性名包含无效的转义序列。", duplicates);
        }

        return new JsonStructure(false, null, duplicates);
    }

    private sealed record Container(string Path, HashSet<string>? Names);
}

/// <summary>Text encoding checks for request bodies.</summary>
internal static class Utf8Text
{
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>The bytes without a leading UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(ByteOrderMark) ? bytes[ByteOrderMark.Length..] : bytes;

    public static bool IsValid(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
