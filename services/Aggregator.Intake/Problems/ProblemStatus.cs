using Aggregator.Application.Results;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Intake.Problems;

/// <summary>The HTTP status the contract gives each of the use cases' <see cref="ProblemCodes"/>.</summary>
public static class ProblemStatus
{
    public static int Of(string code) => code switch
    {
        ProblemCodes.NotFound or ProblemCodes.PeriodNotFound or ProblemCodes.ReportNotReady => StatusCodes.Status404NotFound,
        ProblemCodes.PeriodClosed or ProblemCodes.Conflict or ProblemCodes.RollupFailed or ProblemCodes.RollupNotFailed
            or ProblemCodes.RedriveUnavailable => StatusCodes.Status409Conflict,
        ProblemCodes.NotYourUnit => StatusCodes.Status403Forbidden,
        ProblemCodes.SubmissionNotValidated or ProblemCodes.SubmissionAlreadyReturned or ProblemCodes.SubmissionAlreadyAccepted
            or ProblemCodes.SubmissionHasErrors or ProblemCodes.SubmissionHasNoWarnings or ProblemCodes.SubmissionSuperseded
            or ProblemCodes.PeriodNotClosed => StatusCodes.Status409Conflict,
        ProblemCodes.UnitNotExpected or ProblemCodes.WrongFormat or ProblemCodes.WrongYear or ProblemCodes.UnknownCell
            or ProblemCodes.DuplicateCell or ProblemCodes.InvalidValue or ProblemCodes.NegativeCount or ProblemCodes.NotAnInteger
            or ProblemCodes.ValueOutOfRange or ProblemCodes.WrongUnit => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.InvalidJson or ProblemCodes.JsonTooDeep or ProblemCodes.InvalidRequest or ProblemCodes.InvalidUnitCode =>
            StatusCodes.Status400BadRequest,
        ProblemCodes.BrokerUnavailable => StatusCodes.Status503ServiceUnavailable,
        ProblemCodes.UnitNotFound => StatusCodes.Status404NotFound,
        ProblemCodes.UnitMoveCycle => StatusCodes.Status409Conflict,
        ProblemCodes.WorkbookUnreadable => StatusCodes.Status400BadRequest,
        ProblemCodes.NotASubmissionTemplate or ProblemCodes.TemplateDamaged => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.RollupNotComputed => StatusCodes.Status409Conflict,
        ProblemCodes.DrilldownUnknownCell => StatusCodes.Status400BadRequest,
        ProblemCodes.UnitNotInRollup => StatusCodes.Status404NotFound,
        ProblemCodes.WordUnreadable or ProblemCodes.WordNoTables => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.WordUploadExpired => StatusCodes.Status409Conflict,
        ProblemCodes.UnitListInvalid => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.ZipUnreadable => StatusCodes.Status400BadRequest,
        ProblemCodes.ZipTooManyEntries or ProblemCodes.ZipTooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemCodes.ZipEmpty or ProblemCodes.ZipEntryUnsafeName or ProblemCodes.ZipEntryUnreadable => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.ZipDuplicateUnit => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };
}
