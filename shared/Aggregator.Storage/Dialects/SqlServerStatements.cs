namespace Aggregator.Storage.Dialects;

/// <summary>T-SQL for the statements that differ; every constant here is parsed by a test with the T-SQL parser.</summary>
internal static class SqlServerStatements
{
    // HOLDLOCK makes MERGE take a key-range lock, so two concurrent upserts of a new key cannot both insert.
    public const string UpsertUnitSql = """
        MERGE org_units WITH (HOLDLOCK) AS target
        USING (SELECT @Code AS code, @Name AS name, @Kind AS kind, @ParentCode AS parent_code, @UpdatedAt AS updated_at) AS source
        ON target.code = source.code
        WHEN MATCHED THEN
            UPDATE SET name = source.name, kind = source.kind, parent_code = source.parent_code, updated_at = source.updated_at
        WHEN NOT MATCHED THEN
            INSERT (code, name, kind, parent_code, updated_at)
            VALUES (source.code, source.name, source.kind, source.parent_code, source.updated_at);
        """;

    public const string SelectDescendantsSql = "WITH " + SubtreeQueries.SubtreeCte + SubtreeQueries.SelectDescendantsBody;

    public const string InsertExpectedUnitsSql = "WITH " + SubtreeQueries.SubtreeCte + SubtreeQueries.InsertExpectedUnitsBody;

    public const string UpsertSubmissionSql = """
        MERGE submissions WITH (HOLDLOCK) AS target
        USING (SELECT @Id AS id, @PeriodId AS period_id, @UnitCode AS unit_code, @CreatedAt AS created_at) AS source
        ON target.period_id = source.period_id AND target.unit_code = source.unit_code
        WHEN MATCHED THEN
            UPDATE SET latest_version = target.latest_version + 1
        WHEN NOT MATCHED THEN
            INSERT (id, period_id, unit_code, latest_version, created_at)
            VALUES (source.id, source.period_id, source.unit_code, 1, source.created_at)
        OUTPUT inserted.id, inserted.latest_version;
        """;

    public const string SelectSubtreeUnitsSql = "WITH " + SubtreeQueries.PeriodSubtreeCte + SubtreeQueries.SelectUnitsBody;

    public const string SelectSubtreeAcceptedCellsSql = "WITH " + SubtreeQueries.PeriodSubtreeCte + SubtreeQueries.AcceptedCellsBody;

    public const string SumInputCellsSql = """
        SELECT i.g, c.cell_id, SUM(c.value) AS value
        FROM OPENJSON(@Inputs) WITH (s uniqueidentifier '$.s', v int '$.v', g int '$.g') AS i
        JOIN cell_values c ON c.submission_id = i.s AND c.version = i.v
        GROUP BY i.g, c.cell_id
        """;

    public const string InsertRollupRowsSql = """
        INSERT INTO rollup_values (rollup_id, cell_id, value)
        SELECT @RollupId, x.k, CAST(x.v AS decimal(21, 6)) FROM OPENJSON(@Values) WITH (k nvarchar(128) '$.k', v nvarchar(40) '$.v') AS x;
        INSERT INTO rollup_inputs (rollup_id, unit_code, submission_id, version)
        SELECT @RollupId, x.u, x.s, x.v FROM OPENJSON(@Inputs) WITH (u nvarchar(64) '$.u', s uniqueidentifier '$.s', v int '$.v') AS x;
        INSERT INTO rollup_exclusions (rollup_id, unit_code, reason, rules)
        SELECT @RollupId, x.u, x.r, x.j FROM OPENJSON(@Exclusions) WITH (u nvarchar(64) '$.u', r nvarchar(16) '$.r', j nvarchar(max) '$.j') AS x;
        INSERT INTO rollup_child_values (rollup_id, child_code, cell_id, value)
        SELECT @RollupId, x.c, x.k, CAST(x.v AS decimal(21, 6)) FROM OPENJSON(@Children) WITH (c nvarchar(64) '$.c', k nvarchar(128) '$.k', v nvarchar(40) '$.v') AS x;
        """;

    public const string UpsertReportSql = """
        MERGE reports WITH (HOLDLOCK) AS target
        USING (SELECT @RollupId AS rollup_id, @Format AS format, @Content AS content, @RenderedAt AS rendered_at) AS source
        ON target.rollup_id = source.rollup_id AND target.format = source.format
        WHEN MATCHED AND target.content <> source.content THEN
            UPDATE SET content = source.content, rendered_at = source.rendered_at
        WHEN NOT MATCHED THEN
            INSERT (rollup_id, format, content, rendered_at)
            VALUES (source.rollup_id, source.format, source.content, source.rendered_at);
        """;

    public const string SelectAuditPageSql = """
        SELECT id, occurred_at, actor, actor_role, action, target_type, target_id, details
        FROM audit_log
        WHERE (@TargetType IS NULL OR target_type = @TargetType) AND (@TargetId IS NULL OR target_id = @TargetId)
        ORDER BY id DESC
        OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY
        """;

    public const string InsertOutboxReturningIdSql = """
        INSERT INTO outbox (message_type, payload, created_at, attempts)
        OUTPUT inserted.id
        VALUES (@MessageType, @Payload, @CreatedAt, 0)
        """;

    public const string SelectPendingOutboxSql = """
        SELECT TOP (@Max) id, message_type, payload, created_at, attempts
        FROM outbox
        WHERE status = N'pending' AND created_at <= @CreatedBefore
        ORDER BY id
        """;

    // READPAST skips rows another relay is claiming; UPDLOCK keeps two readers from claiming the same row.
    public const string ClaimOutboxSql = """
        WITH claimable AS (
            SELECT TOP (@Max) id, message_type, payload, created_at, attempts, claimed_until
            FROM outbox WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE status = N'pending' AND created_at <= @CreatedBefore AND (claimed_until IS NULL OR claimed_until < @Now)
            ORDER BY id)
        UPDATE claimable SET claimed_until = @ClaimedUntil
        OUTPUT inserted.id, inserted.message_type, inserted.payload, inserted.created_at, inserted.attempts;
        """;

    public const string InsertIdempotencyKeyIfAbsentSql = """
        INSERT INTO idempotency_keys
            (owner_key_id, idempotency_key, request_hash, status_code, response_body, content_type, location, created_at)
        SELECT @OwnerKeyId, @IdempotencyKey, @RequestHash, @StatusCode, @ResponseBody, @ContentType, @Location, @CreatedAt
        WHERE NOT EXISTS (
            SELECT 1 FROM idempotency_keys WITH (UPDLOCK, HOLDLOCK)
            WHERE owner_key_id = @OwnerKeyId AND idempotency_key = @IdempotencyKey)
        """;
}
