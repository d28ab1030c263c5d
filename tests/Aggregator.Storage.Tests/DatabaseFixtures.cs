using Aggregator.Testing.Databases;

namespace Aggregator.Storage.Tests;

public sealed class SqliteStorageTests(SqliteDatabaseFixture fixture) : StorageSuite(fixture), IClassFixture<SqliteDatabaseFixture>;

public sealed class PostgresStorageTests(PostgresDatabaseFixture fixture) : StorageSuite(fixture), IClassFixture<PostgresDatabaseFixture>;

public sealed class SqlServerStorageTests(SqlServerDatabaseFixture fixture) : StorageSuite(fixture), IClassFixture<SqlServerDatabaseFixture>;
