using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Aggregator.Reporting.Rendering;

/// <summary>
/// A template context with the safety limits set, whose <c>include</c> reaches only the template library and reuses
/// the templates it has already parsed.
/// </summary>
internal sealed class ReportTemplateContext : TemplateContext
{
    private readonly TemplateLibrary _library;

    public ReportTemplateContext(TemplateLibrary library, ReportingOptions options)
    {
        _library = library;
        TemplateLoader = new LibraryLoader(library);
        LoopLimit = options.LoopLimit;
        RecursiveLimit = options.RecursiveLimit;
        OutputLimit = options.OutputLimit;
        // An include hands its text back as a string: a partial over 10⁴ units is longer than Scriban's default 1 MB
        // for that, and the whole report is bounded by the output limit already.
        LimitToString = options.OutputLimit;

        // A report cut short with "..." would look complete; failing says what happened.
        OnOutputLimit = ScriptLimitBehavior.Throw;
        OnStringLimit = ScriptLimitBehavior.Throw;
        ObjectRecursionLimit = 20;
        StrictVariables = true;

        // The model holds script objects only; should a .NET object slip in, none of its members is visible.
        MemberFilter = _ => false;
    }

    protected override Template CreateTemplate(string templatePath, ScriptNode? callerContext) =>
        _library.Get(templatePath).Template;

    private sealed class LibraryLoader(TemplateLibrary library) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
        {
            if (!TemplateLibrary.IsValidName(templateName))
            {
                throw new ScriptRuntimeException(
                    callerSpan,
                    $"include '{templateName}' refused: a template may include only templates inside the template folder, by a relative name such as html/partials/table.sbn-html.");
            }

            return library.Exists(templateName)
                ? templateName
                : throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': no such template.");
        }

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new InvalidOperationException("Templates are loaded through the library.");

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            throw new InvalidOperationException("Templates are loaded through the library.");
    }
}
