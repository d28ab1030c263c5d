namespace Aggregator.Core.Forms;

/// <summary>A form file is malformed: bad JSON, duplicate ids, or a rule that does not compile.</summary>
public sealed class FormDefinitionException : Exception
{
    public FormDefinitionException()
    {
    }

    public FormDefinitionException(string message)
        : base(message)
    {
    }

    public FormDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
