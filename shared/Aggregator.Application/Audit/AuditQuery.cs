using Aggregator.Application.Results;
using Aggregator.Storage.Audit;

namespace Aggregator.Application.Audit;

/// <summary>Pages through the audit log, newest first, optionally about one target.</summary>
public sealed class AuditQuery(AuditLogRepository audit)
{
    public const int MaxPageSize = 200;

    /// <param name="page">1-based.</param>
    public async Task<Result<AuditPage>> ListAsync(int page, int pageSize, string? targetType, string? targetId, CancellationToken cancellationToken)
    {
        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return Problem.InvalidRequest(
                $"page 应不小于 1，page_size 应在 1–{MaxPageSize} 之间。",
                new FieldError(page < 1 ? "page" : "page_size", "超出范围"));
        }

        return await audit.ListAsync((page - 1) * pageSize, pageSize, targetType, targetId, cancellationToken);
    }
}
