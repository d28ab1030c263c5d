using Aggregator.Storage.ApiKeys;
using Aggregator.Storage.Audit;
using Aggregator.Storage.Connections;
using Aggregator.Storage.Dialects;
using Aggregator.Storage.Idempotency;
using Aggregator.Storage.Maintenance;
using Aggregator.Storage.Migrations;
using Aggregator.Storage.Outbox;
using Aggregator.Storage.Periods;
using Aggregator.Storage.Reconciliation;
using Aggregator.Storage.Reports;
using Aggregator.Storage.Rollups;
using Aggregator.Storage.Submissions;
using Aggregator.Storage.Units;
using Aggregator.Storage.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aggregator.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the connection factory, dialect, migrator, repositories and outbox store from the <c>Database</c> section.</summary>
    public static IServiceCollection AddAggregatorStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        return services.AddStorageServices();
    }

    /// <summary>As above, with options given directly (CLI, tests).</summary>
    /// <exception cref="OptionsValidationException">The options are not usable.</exception>
    public static IServiceCollection AddAggregatorStorage(this IServiceCollection services, DatabaseOptions options)
    {
        var validation = new DatabaseOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(DatabaseOptions), validation.Failures);

        services.AddSingleton(Options.Create(options));
        return services.AddStorageServices();
    }

    /// <summary>Migrates the database when the host starts, before other hosted services.</summary>
    public static IServiceCollection AddDatabaseMigrationOnStartup(this IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateDatabaseOnStartup>());
        return services;
    }

    /// <summary>Removes published outbox rows and expired idempotency keys on a schedule (the <c>Database:Cleanup</c> section).</summary>
    public static IServiceCollection AddDatabaseCleanup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseCleanupOptions>().Bind(configuration.GetSection(DatabaseCleanupOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseCleanupOptions>, DatabaseCleanupOptionsValidator>());
        services.TryAddSingleton<DatabaseCleanup>();
        services.AddHostedService<DatabaseCleanupService>();
        return services;
    }

    private static IServiceCollection AddStorageServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new StorageClock(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => CreateConnectionFactory(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.TryAddSingleton(provider => SqlDialect.For(provider.GetRequiredService<IDbConnectionFactory>().Provider));
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<UnitRepository>();
        services.TryAddSingleton<PeriodRepository>();
        services.TryAddSingleton<SubmissionRepository>();
        services.TryAddSingleton<GroupCommitWriter>();
        services.TryAddSingleton<ValidationResultRepository>();
        services.TryAddSingleton<Texts.SubmissionTextRepository>();
        services.TryAddSingleton<RollupRepository>();
        services.TryAddSingleton<ReportRepository>();
        services.TryAddSingleton<ReportTexts.ReportTextRepository>();
        services.TryAddSingleton<ApiKeyRepository>();
        services.TryAddSingleton<AuditLogRepository>();
        services.TryAddSingleton<IdempotencyKeyRepository>();
        services.TryAddSingleton<IOutboxStore, OutboxStore>();
        services.TryAddSingleton<ReconciliationRepository>();
        services.TryAddSingleton<Reviews.SubmissionReviewRepository>();
        return services;
    }

    public static IDbConnectionFactory CreateConnectionFactory(DatabaseOptions options) => options.ParsedProvider switch
    {
        DatabaseProvider.Postgres => new PostgresConnectionFactory(options.ConnectionString),
        DatabaseProvider.SqlServer => new SqlServerConnectionFactory(options.ConnectionString),
        _ => new SqliteConnectionFactory(options.ConnectionString),
    };
}
