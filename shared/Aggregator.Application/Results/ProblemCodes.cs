namespace Aggregator.Application.Results;

/// <summary>
/// The stable codes of the use cases' refusals, which the HTTP contract exposes; extend, never rename. The web
/// layer gives each its status.
/// </summary>
public static class ProblemCodes
{
    public const string NotFound = "not_found";
    public const string PeriodNotFound = "period_not_found";
    public const string PeriodClosed = "period_closed";
    public const string UnitNotExpected = "unit_not_expected";
    public const string NotYourUnit = "not_your_unit";
    public const string WrongFormat = "wrong_format";
    public const string WrongYear = "wrong_year";
    public const string UnknownCell = "unknown_cell";
    public const string DuplicateCell = "duplicate_cell";
    public const string InvalidValue = "invalid_value";
    public const string NegativeCount = "negative_count";
    public const string NotAnInteger = "not_an_integer";
    public const string ValueOutOfRange = "value_out_of_range";
    public const string WrongUnit = "wrong_unit";
    public const string InvalidJson = "invalid_json";
    public const string JsonTooDeep = "json_too_deep";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidUnitCode = "invalid_unit_code";
    public const string ReportNotReady = "report_not_ready";
    public const string RollupFailed = "rollup_failed";
    public const string Conflict = "conflict";
    public const string RollupNotFailed = "rollup_not_failed";
    public const string RedriveUnavailable = "redrive_unavailable";
    public const string BrokerUnavailable = "broker_unavailable";

    // The office's review of a submission and the reopening of a closed period for one unit.
    public const string SubmissionNotValidated = "submission_not_validated";
    public const string SubmissionAlreadyReturned = "submission_already_returned";
    public const string SubmissionAlreadyAccepted = "submission_already_accepted";
    public const string SubmissionHasErrors = "submission_has_errors";
    public const string SubmissionHasNoWarnings = "submission_has_no_warnings";
    public const string SubmissionSuperseded = "submission_superseded";
    public const string PeriodNotClosed = "period_not_closed";
    // Unit management (rename, move, bulk keys).
    public const string UnitMoveCycle = "unit_move_cycle";
    public const string UnitNotFound = "unit_not_found";
    // Excel submission templates (the values are those of Aggregator.Reporting.Workbooks.WorkbookProblemCodes).
    public const string WorkbookUnreadable = "workbook_unreadable";
    public const string NotASubmissionTemplate = "not_a_submission_template";
    public const string TemplateDamaged = "template_damaged";
    // Drill-down of a rollup's totals.
    public const string RollupNotComputed = "rollup_not_computed";
    public const string DrilldownUnknownCell = "drilldown_unknown_cell";
    public const string UnitNotInRollup = "unit_not_in_rollup";
    // A department's Word report (POST /periods/{id}/submissions/word).
    public const string WordUnreadable = "word_unreadable";
    public const string WordNoTables = "word_no_tables";
    // The department's Word upload page: the report kept for the confirm has expired or was replaced.
    public const string WordUploadExpired = "word_upload_expired";
    // The office's import of a unit list (POST /units/import, /admin/units): a wrong line, nothing stored.
    public const string UnitListInvalid = "unit_list_invalid";
    // The office's batch of departments' files (POST /periods/{id}/submissions/batch); the values are those of
    // Aggregator.Import.ArchiveProblems. The whole zip is refused for the first four, one entry for the others.
    public const string ZipUnreadable = "zip_unreadable";
    public const string ZipTooManyEntries = "zip_too_many_entries";
    public const string ZipTooLarge = "zip_too_large";
    public const string ZipEmpty = "zip_empty";
    public const string ZipEntryUnsafeName = "zip_entry_unsafe_name";
    public const string ZipEntryUnreadable = "zip_entry_unreadable";

    /// <summary>Two or more files of one batch are the same unit's report: none of them is stored, since archive order says nothing of which one is meant.</summary>
    public const string ZipDuplicateUnit = "zip_duplicate_unit";

}
