using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Parsing;

namespace Aggregator.Reporting.Rendering;

/// <summary>A parsed template and where it came from.</summary>
/// <param name="Name">The template name, relative to the template folder (html/fmt_2019.sbn-html).</param>
/// <param name="DisplayPath">The file path of an override, or the name marked as embedded; used in error messages.</param>
internal sealed record LoadedTemplate(string Name, string DisplayPath, bool IsOverride, Template Template);

/// <summary>
/// The report templates: the embedded defaults, each replaceable by a file of the same name in the override folder.
/// A template is parsed once per version of its source; names never reach outside the template folder.
/// </summary>
internal sealed partial class TemplateLibrary
{
    private const string ResourcePrefix = "Aggregator.Reporting.Templates/";

    private static readonly Lazy<Dictionary<string, string>> EmbeddedResources = new(ListEmbedded);

    private static readonly ParserOptions ParserOptions = new() { ExpressionDepthLimit = 100 };

    private readonly string? _overrideRoot;
    private readonly ConcurrentDictionary<string, (string Stamp, LoadedTemplate Template)> _parsed = new(StringComparer.Ordinal);

    /// <exception cref="DirectoryNotFoundException">The override folder does not exist.</exception>
    public TemplateLibrary(string? overrideDirectory)
    {
        if (string.IsNullOrWhiteSpace(overrideDirectory))
        {
            return;
        }

        var root = Path.GetFullPath(overrideDirectory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The report template folder '{root}' (Reporting:TemplateDirectory) does not exist.");
        }

        _overrideRoot = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
    }

    /// <summary>Whether a name is a plain relative path inside the template folder (no .., no root, no drive).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 200 && name.Split('/').All(segment => SafeSegment().IsMatch(segment));

    /// <summary>Whether a template of this name exists, as an override or embedded.</summary>
    public bool Exists(string name) => IsValidName(name) && (OverrideFile(name) is not null || EmbeddedResources.Value.ContainsKey(name));

    /// <summary>Whether the template of this name comes from the override folder.</summary>
    public bool IsOverride(string name) => IsValidName(name) && OverrideFile(name) is not null;

    /// <summary>The parsed template of this name.</summary>
    /// <exception cref="ArgumentException">The name is not a valid template name.</exception>
    /// <exception cref="FileNotFoundException">No such template.</exception>
    /// <exception cref="ReportTemplateException">The template does not parse.</exception>
    public LoadedTemplate Get(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a template name inside the template folder.", nameof(name));
        }

        var file = OverrideFile(name);
        string stamp;
        if (file is not null)
        {
            var info = new FileInfo(file);
            stamp = $"{info.LastWriteTimeUtc.Ticks}:{info.Length}";
        }
        else if (EmbeddedResources.Value.ContainsKey(name))
        {
            stamp = "embedded";
        }
        else
        {
            throw new FileNotFoundException($"No report template named '{name}'.", name);
        }

        if (_parsed.TryGetValue(name, out var cached) && cached.Stamp == stamp)
        {
            return cached.Template;
        }

        var loaded = file is not null
            ? Parse(name, file, true, File.ReadAllText(file))
            : Parse(name, $"{name} (embedded)", false, ReadEmbedded(EmbeddedResources.Value[name]));
        _parsed[name] = (stamp, loaded);
        return loaded;
    }

    private static LoadedTemplate Parse(string name, string displayPath, bool isOverride, string text)
    {
        var template = Template.Parse(text, displayPath, ParserOptions);
        if (template.HasErrors)
        {
            var error = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new ReportTemplateException(displayPath, error.Span.Start.Line + 1, error.Span.Start.Column + 1, error.Message);
        }

        return new LoadedTemplate(name, displayPath, isOverride, template);
    }

    private string? OverrideFile(string name)
    {
        if (_overrideRoot is null)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(_overrideRoot, name.Replace('/', Path.DirectorySeparatorChar)));
        if (!File.Exists(path))
        {
            return null;
        }

        return path.StartsWith(_overrideRoot, StringComparison.Ordinal) && !PassesThroughLink(name) ? path : null;
    }

    // A link inside the folder could lead outside it, so no part of the path below the folder may be a link.
    private bool PassesThroughLink(string name)
    {
        var path = _overrideRoot!;
        foreach (var segment in name.Split('/'))
        {
            path = Path.Combine(path, segment);
            FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (entry.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> ListEmbedded() =>
        typeof(TemplateLibrary).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(r => r[ResourcePrefix.Length..].Replace('\\', '/'), r => r, StringComparer.Ordinal);

    private static string ReadEmbedded(string resource)
    {
        using var stream = typeof(TemplateLibrary).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex SafeSegment();
}
