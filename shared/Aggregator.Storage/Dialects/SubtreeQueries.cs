namespace Aggregator.Storage.Dialects;

/// <summary>Query bodies over a unit's subtree; each dialect puts its own WITH keyword in front.</summary>
internal static class SubtreeQueries
{
    // The recursive step starts from the node just reached and looks its children up by parent (CROSS JOIN keeps
    // SQLite's planner from turning it around, which reads every unit once per node: quadratic in the tree's size).
    public const string SubtreeCte = """
        subtree (code) AS (
            SELECT code FROM org_units WHERE code = @RootUnitCode
            UNION ALL
            SELECT child.code FROM subtree parent CROSS JOIN org_units child WHERE child.parent_code = parent.code
        )
        """;

    // A period's own tree, as snapshotted when it was opened (period_units.parent_code), so that a unit moved since
    // is still summed under the node it reported to that year.
    public const string PeriodSubtreeCte = """
        subtree (code) AS (
            SELECT code FROM org_units WHERE code = @RootUnitCode
            UNION ALL
            SELECT child.unit_code FROM subtree parent CROSS JOIN period_units child
            WHERE child.period_id = @PeriodId AND child.parent_code = parent.code
        )
        """;

    public const string SelectDescendantsBody = """

        SELECT u.code, u.name, u.kind, u.parent_code, u.updated_at
        FROM org_units u
        JOIN subtree t ON t.code = u.code
        WHERE u.code <> @RootUnitCode
        ORDER BY u.code
        """;

    public const string InsertExpectedUnitsBody = """

        INSERT INTO period_units (period_id, unit_code, parent_code)
        SELECT @PeriodId, u.code, u.parent_code FROM subtree t JOIN org_units u ON u.code = t.code WHERE t.code <> @RootUnitCode
        """;

    public const string SelectUnitsBody = """

        SELECT u.code AS unit_code, u.name, u.kind, pu.parent_code,
               s.id AS submission_id, s.latest_version, v.status AS latest_status, v.received_at AS latest_received_at,
               (SELECT MAX(a.version) FROM submission_versions a
                WHERE a.submission_id = s.id AND a.status IN ('accepted', 'accepted_with_warnings')) AS accepted_version
        FROM period_units pu
        JOIN subtree t ON t.code = pu.unit_code
        JOIN org_units u ON u.code = pu.unit_code
        LEFT JOIN submissions s ON s.period_id = pu.period_id AND s.unit_code = pu.unit_code
        LEFT JOIN submission_versions v ON v.submission_id = s.id AND v.version = s.latest_version
        WHERE pu.period_id = @PeriodId
        ORDER BY u.code
        """;

    public const string AcceptedCellsBody = """
        ,
        accepted (submission_id, unit_code, version) AS (
            SELECT s.id, s.unit_code, MAX(v.version)
            FROM period_units pu
            JOIN subtree t ON t.code = pu.unit_code
            JOIN submissions s ON s.period_id = pu.period_id AND s.unit_code = pu.unit_code
            JOIN submission_versions v ON v.submission_id = s.id
            WHERE pu.period_id = @PeriodId AND v.status IN ('accepted', 'accepted_with_warnings')
            GROUP BY s.id, s.unit_code
        )
        SELECT a.unit_code, c.cell_id, c.value, c.raw_text, c.flags
        FROM accepted a
        JOIN cell_values c ON c.submission_id = a.submission_id AND c.version = a.version
        """;
}
