using System.Diagnostics.CodeAnalysis;

namespace Aggregator.Core.Forms;

/// <summary>
/// The known formats. <see cref="Default"/> holds the three national formats embedded in this library;
/// <see cref="Load"/> adds or replaces formats from a folder of form files, so a new year's format is a new file.
/// </summary>
public sealed class FormCatalog
{
    private const string ResourcePrefix = "Aggregator.Core.Forms.";

    private static readonly Lazy<FormCatalog> EmbeddedCatalog = new(LoadEmbedded);

    private readonly Dictionary<string, FormDefinition> _formsById;

    private FormCatalog(IEnumerable<FormDefinition> forms)
    {
        _formsById = new Dictionary<string, FormDefinition>(StringComparer.Ordinal);
        foreach (var form in forms)
        {
            _formsById[form.Id] = form;
        }

        Forms = [.. _formsById.Values.OrderBy(f => f.ValidYears.From ?? int.MinValue).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    /// <summary>The embedded national formats: <c>stat_pre2019</c>, <c>fmt_2019</c>, <c>fmt_2021</c>.</summary>
    public static FormCatalog Default => EmbeddedCatalog.Value;

    /// <summary>Every format, oldest first.</summary>
    public IReadOnlyList<FormDefinition> Forms { get; }

    /// <summary>
    /// The embedded formats plus every <c>*.json</c> form file in <paramref name="directory"/>; a file whose id
    /// matches an embedded format replaces it.
    /// </summary>
    /// <exception cref="FormDefinitionException">A file is malformed.</exception>
    public static FormCatalog Load(string directory)
    {
        var extra = Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => FormReader.Read(File.ReadAllText(path), path));
        return new FormCatalog(Default.Forms.Concat(extra));
    }

    /// <summary>A catalog of exactly the given form files (JSON texts), without the embedded ones.</summary>
    /// <exception cref="FormDefinitionException">A text is malformed.</exception>
    public static FormCatalog FromJson(params IEnumerable<string> formFiles) =>
        new(formFiles.Select((json, i) => FormReader.Read(json, $"form file #{i + 1}")));

    /// <summary>Finds a format by id.</summary>
    public bool TryGet(string formId, [NotNullWhen(true)] out FormDefinition? form) =>
        _formsById.TryGetValue(formId, out form);

    /// <summary>The format with this id; throws <see cref="KeyNotFoundException"/> when unknown.</summary>
    public FormDefinition Get(string formId) =>
        TryGet(formId, out var form) ? form : throw new KeyNotFoundException($"Unknown form '{formId}'.");

    /// <summary>
    /// The format used for reports on <paramref name="year"/>: ≤2018 <c>stat_pre2019</c>, 2019–2020
    /// <c>fmt_2019</c>, ≥2021 <c>fmt_2021</c>. When ranges overlap, the format that starts latest wins.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No format covers the year.</exception>
    public FormDefinition ForYear(int year) =>
        TryGetForYear(year, out var form)
            ? form
            : throw new ArgumentOutOfRangeException(nameof(year), year, "No form covers this year.");

    /// <summary>Finds the format used for reports on <paramref name="year"/>.</summary>
    public bool TryGetForYear(int year, [NotNullWhen(true)] out FormDefinition? form)
    {
        form = Forms
            .Where(f => f.ValidYears.Contains(year))
            .OrderByDescending(f => f.ValidYears.From ?? int.MinValue)
            .FirstOrDefault();
        return form is not null;
    }

    private static FormCatalog LoadEmbedded()
    {
        var assembly = typeof(FormCatalog).Assembly;
        var forms = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                && name.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return FormReader.Read(reader.ReadToEnd(), name);
            });
        return new FormCatalog(forms);
    }
}
