using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Scriban.Runtime;

namespace Aggregator.Reporting.Rendering;

/// <summary>
/// Copies the report model into plain script objects, escaping every string for the output format on the way, so a
/// template reaches no .NET object or method and cannot print unescaped text by forgetting a filter.
/// </summary>
internal static class ScriptModelConverter
{
    private static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> PropertiesByType = new();

    public static ScriptObject Convert(object model, Func<string, string> escape) =>
        (ScriptObject)ConvertValue(model, escape)!;

    private static object? ConvertValue(object? value, Func<string, string> escape) => value switch
    {
        null => null,
        string text => escape(text),
        bool or int or long or decimal => value,
        IDictionary dictionary => ConvertDictionary(dictionary, escape),
        IEnumerable items => ConvertList(items, escape),
        _ when IsModelRecord(value.GetType()) => ConvertRecord(value, escape),
        _ => throw new NotSupportedException($"The report model may hold only strings, numbers, lists and model records, not {value.GetType()}."),
    };

    private static ScriptObject ConvertDictionary(IDictionary dictionary, Func<string, string> escape)
    {
        var result = new ScriptObject(dictionary.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            // Keys are cell, row and table ids from the form files, never unit-supplied text.
            result[(string)entry.Key] = ConvertValue(entry.Value, escape);
        }

        return result;
    }

    private static ScriptArray ConvertList(IEnumerable items, Func<string, string> escape)
    {
        var result = new ScriptArray();
        foreach (var item in items)
        {
            result.Add(ConvertValue(item, escape));
        }

        return result;
    }

    private static ScriptObject ConvertRecord(object record, Func<string, string> escape)
    {
        var properties = PropertiesByType.GetOrAdd(record.GetType(), PropertiesOf);
        var result = new ScriptObject(properties.Length, StringComparer.Ordinal);
        foreach (var (name, property) in properties)
        {
            result[name] = ConvertValue(property.GetValue(record), escape);
        }

        return result;
    }

    private static bool IsModelRecord(Type type) =>
        type.Assembly == typeof(ScriptModelConverter).Assembly && type.Namespace == typeof(Model.ReportModel).Namespace;

    private static (string, PropertyInfo)[] PropertiesOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (SnakeCase(p.Name), p))];

    /// <summary>RowsById → rows_by_id.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
