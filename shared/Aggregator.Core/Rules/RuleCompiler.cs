using Aggregator.Core.Forms;

namespace Aggregator.Core.Rules;

/// <summary>Expands <c>for_each</c>, parses expressions and messages, and flattens them into a <see cref="CompiledRuleSet"/>.</summary>
internal static class RuleCompiler
{
    public const string NonnegativeCheck = "nonnegative_integer";
    public const string MoneyUnitStatedCheck = "money_unit_stated";

    public static CompiledRuleSet Compile(FormDefinition form, IReadOnlyList<RuleFile> files)
    {
        var builder = new CompiledRuleSet.Builder(form);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var id = file.Id ?? throw new FormDefinitionException("a rule has no id.");
            if (!ids.Add(id))
            {
                throw new FormDefinitionException($"duplicate rule id '{id}'.");
            }

            try
            {
                CompileRule(form, file, id, builder);
            }
            catch (FormDefinitionException ex)
            {
                throw new FormDefinitionException($"rule {id}: {ex.Message}", ex);
            }
        }

        return builder.Build();
    }

    private static void CompileRule(FormDefinition form, RuleFile file, string id, CompiledRuleSet.Builder builder)
    {
        var severity = file.Severity switch
        {
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            _ => throw new FormDefinitionException($"severity must be error or warning, not '{file.Severity}'."),
        };
        var forEach = (file.ForEach ?? []).ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<string>)p.Value,
            StringComparer.Ordinal);
        if (file.Check is not null)
        {
            if (file.Expression is not null || forEach.Count > 0)
            {
                throw new FormDefinitionException("a built-in check has no expression and no for_each.");
            }

            var definition = new RuleDefinition(id, file.Official, severity, file.Description ?? "", null, file.Check, forEach, false);
            CompileCheck(form, file, definition, builder);
            return;
        }

        var expression = file.Expression ?? throw new FormDefinitionException("needs an expression or a check.");
        var instances = Expand(forEach)
            .Select(binding => CompileInstance(form, file, expression, binding))
            .ToList();
        var crossYear = instances.Any(i => i.Expression.ReferencesPreviousYear);
        if (instances.Any(i => i.Expression.ReferencesPreviousYear != crossYear))
        {
            throw new FormDefinitionException("either every instance or none may use prev().");
        }

        var rule = new RuleDefinition(id, file.Official, severity, file.Description ?? "", expression, null, forEach, crossYear);
        builder.AddExpressionRule(rule, instances);
    }

    private static RuleInstance CompileInstance(FormDefinition form, RuleFile file, string expression, IReadOnlyDictionary<string, string> binding)
    {
        var parsed = ExpressionParser.Parse(Substitute(expression, binding), form);
        MessageTemplate[] messages;
        if (file.Messages is { Count: > 0 } parts)
        {
            if (parts.Count != parsed.Consequent.Count)
            {
                throw new FormDefinitionException($"has {parts.Count} messages for {parsed.Consequent.Count} conditions.");
            }

            messages = [.. parts.Select(p => MessageTemplate.Parse(Substitute(p, binding), form))];
        }
        else
        {
            var text = file.Message ?? throw new FormDefinitionException("has no message.");
            messages = [MessageTemplate.Parse(Substitute(text, binding), form)];
        }

        for (var i = 0; i < messages.Length; i++)
        {
            var covers = messages.Length == 1 ? parsed.Consequent : [parsed.Consequent[i]];
            if (messages[i].UsesComparison && covers.Any(p => p is not Comparison))
            {
                throw new FormDefinitionException("a message quotes {L}/{R} but its condition is not a comparison.");
            }
        }

        return new RuleInstance(binding, parsed, messages);
    }

    private static void CompileCheck(FormDefinition form, RuleFile file, RuleDefinition rule, CompiledRuleSet.Builder builder)
    {
        switch (file.Check)
        {
            case NonnegativeCheck:
                var problems = file.MessageByProblem ?? throw new FormDefinitionException("needs message_by_problem.");
                builder.AddNonnegativeCheck(
                    rule,
                    MessageTemplate.Parse(Problem(problems, "negative"), form),
                    MessageTemplate.Parse(Problem(problems, "fraction"), form));
                break;
            case MoneyUnitStatedCheck:
                var cells = (file.Cells ?? throw new FormDefinitionException("needs cells."))
                    .Select(id => form.TryGetCell(id, out var cell) && cell.IsMoney
                        ? cell.Index
                        : throw new FormDefinitionException($"'{id}' is not a money cell."))
                    .ToArray();
                var message = file.Message ?? throw new FormDefinitionException("has no message.");
                builder.AddMoneyUnitCheck(rule, cells, MessageTemplate.Parse(message, form));
                break;
            default:
                throw new FormDefinitionException($"unknown check '{file.Check}'.");
        }
    }

    private static string Problem(Dictionary<string, string> problems, string name) =>
        problems.TryGetValue(name, out var text) ? text : throw new FormDefinitionException($"message_by_problem needs '{name}'.");

    private static IEnumerable<IReadOnlyDictionary<string, string>> Expand(Dictionary<string, IReadOnlyList<string>> forEach)
    {
        IEnumerable<Dictionary<string, string>> bindings = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var (name, values) in forEach)
        {
            if (name is "L" or "R" or "label" or "raw" or "value" or "unit" || values.Count == 0)
            {
                throw new FormDefinitionException($"bad for_each placeholder '{name}'.");
            }

            bindings = bindings.SelectMany(b => values.Select(v => new Dictionary<string, string>(b, StringComparer.Ordinal) { [name] = v })).ToList();
        }

        return bindings;
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> binding)
    {
        foreach (var (name, value) in binding)
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}

/// <summary>One expanded instance of an expression rule.</summary>
internal sealed record RuleInstance(IReadOnlyDictionary<string, string> Binding, RuleExpression Expression, MessageTemplate[] Messages);
