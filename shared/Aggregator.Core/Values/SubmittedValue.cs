namespace Aggregator.Core.Values;

/// <summary>A cell value as submitted: a JSON number, a text to be read, or null (blank).</summary>
public sealed record SubmittedValue
{
    private SubmittedValue(decimal? number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>A blank cell.</summary>
    public static SubmittedValue Blank { get; } = new(null, null);

    /// <summary>The number, when the value was a JSON number.</summary>
    public decimal? Number { get; }

    /// <summary>The text: what was written, or the JSON text of a number.</summary>
    public string? Text { get; }

    public bool IsBlank => Number is null && Text is null;

    public static SubmittedValue FromNumber(decimal number, string jsonText) => new(number, jsonText);

    public static SubmittedValue FromText(string text) => new(null, text);
}
