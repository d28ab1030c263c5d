using System.Diagnostics.CodeAnalysis;

namespace Aggregator.Application.Results;

/// <summary>What a use case returns: a value, or the <see cref="Results.Problem"/> that refused the request.</summary>
public sealed class Result<T>
{
    private readonly T? _value;

    private Result(T? value, Problem? problem)
    {
        _value = value;
        Problem = problem;
    }

    public Problem? Problem { get; }

    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsSuccess => Problem is null;

    /// <exception cref="InvalidOperationException">The result is a problem.</exception>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The use case refused the request: {Problem}");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(Problem problem) => new(default, problem ?? throw new ArgumentNullException(nameof(problem)));

    [SuppressMessage("Usage", "CA2225", Justification = "Success and Failure are the named alternatives.")]
    public static implicit operator Result<T>(T value) => Success(value);

    [SuppressMessage("Usage", "CA2225", Justification = "Success and Failure are the named alternatives.")]
    public static implicit operator Result<T>(Problem problem) => Failure(problem);

    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Problem})";
}
