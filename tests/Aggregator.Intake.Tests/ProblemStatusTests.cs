using System.Reflection;
using Aggregator.Application.Results;
using Aggregator.Intake.Problems;

namespace Aggregator.Intake.Tests;

public sealed class ProblemStatusTests
{
    public static TheoryData<string> UseCaseCodes() =>
        [.. typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Where(field => field.Name != nameof(ProblemCodes.BrokerUnavailable))
            .Select(field => (string)field.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(UseCaseCodes))]
    public void Every_use_case_code_answers_with_a_client_error_status(string code)
    {
        var status = ProblemStatus.Of(code);

        Assert.InRange(status, 400, 499);
    }

    [Theory]
    [InlineData(ProblemCodes.BrokerUnavailable, 503)]
    [InlineData(ProblemCodes.RedriveUnavailable, 409)]
    [InlineData(ProblemCodes.PeriodClosed, 409)]
    [InlineData(ProblemCodes.NotYourUnit, 403)]
    [InlineData(ProblemCodes.DuplicateCell, 422)]
    [InlineData(ProblemCodes.InvalidUnitCode, 400)]
    [InlineData(ProblemCodes.ReportNotReady, 404)]
    public void Gives_each_code_the_status_of_the_contract(string code, int status)
    {
        Assert.Equal(status, ProblemStatus.Of(code));
    }
}
