namespace Aggregator.Storage.Dialects;

/// <summary>PostgreSQL and SQLite text for the statements that differ from SQL Server.</summary>
internal static class StandardStatements
{
    public const string UpsertUnitSql = """
        INSERT INTO org_units (code, name, kind, parent_code, updated_at)
        VALUES (@Code, @Name, @Kind, @ParentCode, @UpdatedAt)
        ON CONFLICT (code) DO UPDATE
        SET name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code, updated_at = excluded.updated_at
        """;

    public const string SelectDescendantsSql = "WITH RECURSIVE " + SubtreeQueries.SubtreeCte + SubtreeQueries.SelectDescendantsBody;

    public const string InsertExpectedUnitsSql = "WITH RECURSIVE " + SubtreeQueries.SubtreeCte + SubtreeQueries.InsertExpectedUnitsBody;

    public const string UpsertSubmissionSql = """
        INSERT INTO submissions (id, period_id, unit_code, latest_version, created_at)
        VALUES (@Id, @PeriodId, @UnitCode, 1, @CreatedAt)
        ON CONFLICT (period_id, unit_code) DO UPDATE SET latest_version = submissions.latest_version + 1
        RETURNING id, latest_version
        """;

    public const string SelectSubtreeUnitsSql = "WITH RECURSIVE " + SubtreeQueries.PeriodSubtreeCte + SubtreeQueries.SelectUnitsBody;

    public const string SelectSubtreeAcceptedCellsSql = "WITH RECURSIVE " + SubtreeQueries.PeriodSubtreeCte + SubtreeQueries.AcceptedCellsBody;

    public const string SumInputCellsPostgresSql = """
        SELECT i.g, c.cell_id, SUM(c.value) AS value
        FROM unnest(@InputIds, @InputVersions, @InputGroups) AS i (s, v, g)
        JOIN cell_values c ON c.submission_id = i.s AND c.version = i.v
        GROUP BY i.g, c.cell_id
        """;

    // SQLite's SUM turns decimal text into doubles, so the rows are streamed and summed exactly by the caller.
    public const string SelectInputCellsSqliteSql = """
        SELECT json_extract(i.value, '$.g'), c.cell_id, c.value
        FROM json_each(@Inputs) AS i
        JOIN cell_values c ON c.submission_id = json_extract(i.value, '$.s') AND c.version = json_extract(i.value, '$.v')
        """;

    // A rollup's rows travel as JSON arrays, one statement per table: a national rollup stores 10⁵ inputs, and a
    // statement per row made storing its sums a round trip per unit. Decimals travel as text, so they stay exact.
    public const string InsertRollupRowsPostgresSql = """
        INSERT INTO rollup_values (rollup_id, cell_id, value)
        SELECT @RollupId, x.k, CAST(x.v AS numeric) FROM jsonb_to_recordset(CAST(@Values AS jsonb)) AS x (k text, v text);
        INSERT INTO rollup_inputs (rollup_id, unit_code, submission_id, version)
        SELECT @RollupId, x.u, x.s, x.v FROM unnest(@InputUnits, @InputIds, @InputVersions) AS x (u, s, v);
        INSERT INTO rollup_exclusions (rollup_id, unit_code, reason, rules)
        SELECT @RollupId, x.u, x.r, x.j FROM unnest(@ExclusionUnits, @ExclusionReasons, @ExclusionRules) AS x (u, r, j);
        INSERT INTO rollup_child_values (rollup_id, child_code, cell_id, value)
        SELECT @RollupId, x.c, x.k, CAST(x.v AS numeric) FROM jsonb_to_recordset(CAST(@Children AS jsonb)) AS x (c text, k text, v text);
        """;

    public const string InsertRollupRowsSqliteSql = """
        INSERT INTO rollup_values (rollup_id, cell_id, value)
        SELECT @RollupId, json_extract(x.value, '$.k'), json_extract(x.value, '$.v') FROM json_each(@Values) AS x;
        INSERT INTO rollup_inputs (rollup_id, unit_code, submission_id, version)
        SELECT @RollupId, json_extract(x.value, '$.u'), json_extract(x.value, '$.s'), json_extract(x.value, '$.v') FROM json_each(@Inputs) AS x;
        INSERT INTO rollup_exclusions (rollup_id, unit_code, reason, rules)
        SELECT @RollupId, json_extract(x.value, '$.u'), json_extract(x.value, '$.r'), json_extract(x.value, '$.j') FROM json_each(@Exclusions) AS x;
        INSERT INTO rollup_child_values (rollup_id, child_code, cell_id, value)
        SELECT @RollupId, json_extract(x.value, '$.c'), json_extract(x.value, '$.k'), json_extract(x.value, '$.v') FROM json_each(@Children) AS x;
        """;

    public const string UpsertReportSql = """
        INSERT INTO reports (rollup_id, format, content, rendered_at)
        VALUES (@RollupId, @Format, @Content, @RenderedAt)
        ON CONFLICT (rollup_id, format) DO UPDATE
        SET content = excluded.content, rendered_at = excluded.rendered_at
        WHERE reports.content <> excluded.content
        """;

    public const string SelectAuditPageSql = """
        SELECT id, occurred_at, actor, actor_role, action, target_type, target_id, details
        FROM audit_log
        WHERE (@TargetType IS NULL OR target_type = @TargetType) AND (@TargetId IS NULL OR target_id = @TargetId)
        ORDER BY id DESC
        LIMIT @Take OFFSET @Skip
        """;

    public const string InsertOutboxReturningIdSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        VALUES (@MessageType, @Payload, @CreatedAt, 0)
        RETURNING id
        """;

    public const string SelectPendingOutboxSql = """
        SELECT id, message_type, payload, created_at, attempts
        FROM outbox
        WHERE status = 'pending' AND created_at <= @CreatedBefore
        ORDER BY id
        LIMIT @Max
        """;

    // SKIP LOCKED lets racing relays take disjoint rows; the lease keeps them disjoint after the claim commits.
    public const string ClaimOutboxPostgresSql = """
        UPDATE outbox SET claimed_until = @ClaimedUntil
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending' AND created_at <= @CreatedBefore AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY id
            LIMIT @Max
            FOR UPDATE SKIP LOCKED)
        RETURNING id, message_type, payload, created_at, attempts
        """;

    // SQLite has one writer at a time, so the UPDATE itself is the claim.
    public const string ClaimOutboxSqliteSql = """
        UPDATE outbox SET claimed_until = @ClaimedUntil
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending' AND created_at <= @CreatedBefore AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY id
            LIMIT @Max)
        RETURNING id, message_type, payload, created_at, attempts
        """;

    public const string InsertIdempotencyKeyIfAbsentSql = """
        INSERT INTO idempotency_keys
            (owner_key_id, idempotency_key, request_hash, status_code, response_body, content_type, location, created_at)
        VALUES (@OwnerKeyId, @IdempotencyKey, @RequestHash, @StatusCode, @ResponseBody, @ContentType, @Location, @CreatedAt)
        ON CONFLICT (owner_key_id, idempotency_key) DO NOTHING
        """;
}
