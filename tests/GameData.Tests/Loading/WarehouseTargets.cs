using System.Data.Common;
using System.Diagnostics;
using GameData.Loading;
using GameData.Migrations;
using GameData.Warehouses;
using GameData.Warehouses.DuckDb;
using GameData.Warehouses.Postgres;
using Npgsql;

namespace GameData.Tests.Loading;

/// <summary>A fresh, empty warehouse target for one test: a DuckDB file or a PostgreSQL schema of its own.</summary>
public abstract class WarehouseTarget : IDisposable
{
    public abstract WarehouseSettings Settings { get; }

    /// <summary>Its name in a reset: the DuckDB file's name, or the PostgreSQL schema.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the DuckDB file or the PostgreSQL schema exists.</summary>
    public bool Exists() => Settings.Provider.Name == "duckdb"
        ? File.Exists(Settings.DuckDbPath)
        : Scalar<long>($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{Settings.Schema}'") > 0;

    /// <summary>The arguments that point the CLI at this target.</summary>
    public abstract string[] CliArgs { get; }

    public static string MigrationsFolder => GameData.Settings.RepositoryFolders.MigrationsNear(TestContext.CurrentContext.TestDirectory);

    public MigrationOutcome Migrate(bool dryRun = false, string? migrations = null) =>
        MigrationRunner.Run(Settings, migrations ?? MigrationsFolder, dryRun, _ => { });

    public IWarehouse Open() => Warehouse.Open(Settings, _ => { }, TimeSpan.FromSeconds(60));

    public LoadCounts Load(string dataset, LoadMode? mode)
    {
        using var warehouse = Open();
        var plan = DatasetLoader.Plan(warehouse, dataset, mode, null);
        return DatasetLoader.Run(warehouse, plan, new Progress<string>(), CancellationToken.None);
    }

    protected abstract DbConnection Connect();

    public T Scalar<T>(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public List<object?[]> Rows(string sql)
    {
        using var connection = Connect();
        return Rows(connection, sql);
    }

    /// <summary>
    /// Several queries' rows from one snapshot: what one reader sees, even while a killed client's commit is
    /// still being completed by the server.
    /// </summary>
    public List<object?[]>[] RowsInOneSnapshot(IEnumerable<string> tables, params string[] sqls)
    {
        using var connection = Connect();
        // DuckDB's transactions are snapshots already; PostgreSQL's default (read committed) takes one per statement.
        using var transaction = connection.BeginTransaction(Settings.Provider.Name == "postgres"
            ? System.Data.IsolationLevel.RepeatableRead : System.Data.IsolationLevel.Unspecified);
        // The locks first, so that the snapshot is taken once a commit under way has finished: a snapshot from
        // before a TRUNCATE's commit sees its tables empty (TRUNCATE is not MVCC-safe, PostgreSQL's docs say;
        // a read-committed statement, like a dbt model's, sees the new rows).
        if (Settings.Provider.Name == "postgres") Rows(connection, $"LOCK TABLE {string.Join(", ", tables)} IN ACCESS SHARE MODE");
        return sqls.Select(sql => Rows(connection, sql)).ToArray();
    }

    private static List<object?[]> Rows(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public (long Players, long Sessions, long Events) Counts()
    {
        var s = Settings.Schema;
        var counts = Rows($"SELECT (SELECT count(*) FROM {s}.RAW_PLAYERS), (SELECT count(*) FROM {s}.RAW_SESSIONS), " +
                          $"(SELECT count(*) FROM {s}.RAW_GAME_EVENTS)").Single().Select(Convert.ToInt64).ToArray();
        return (counts[0], counts[1], counts[2]);
    }

    /// <summary>
    /// The first value of each query, read over one connection: opening a DuckDB file costs tens of milliseconds, so a
    /// check of several queries opens it once.
    /// </summary>
    private List<string> Scalars(IEnumerable<string> sqls)
    {
        using var connection = Connect();
        return sqls.Select(sql => Convert.ToString(Rows(connection, sql).Single()[0], System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
    }

    /// <summary>
    /// Everything a load could change, summarised: per table the row count, distinct keys, and the loads
    /// and batches present; plus the successful ledger rows.
    /// </summary>
    public string Snapshot()
    {
        var s = Settings.Schema;
        var parts = RawSchema.Tables.Select(t =>
            $"SELECT count(*) || '/' || count(DISTINCT {t.Key}) || '/' || coalesce(string_agg(DISTINCT _LOAD_ID, ',' ORDER BY _LOAD_ID), '') " +
            $"|| '/' || coalesce(string_agg(DISTINCT CAST(_BATCH_ID AS VARCHAR), ',' ORDER BY CAST(_BATCH_ID AS VARCHAR)), '') FROM {s}.{t.Name}");
        var ledger = $"SELECT count(*) || ':' || coalesce(string_agg(LOAD_ID, ',' ORDER BY LOAD_ID), '') FROM {s}._LOADS WHERE STATUS = 'succeeded'";
        return string.Join(" | ", Scalars(parts.Append(ledger)));
    }

    /// <summary>Fails unless every table's key is unique.</summary>
    public void AssertNoDuplicates()
    {
        var duplicates = Scalars(RawSchema.Tables.Select(t => $"SELECT count(*) - count(DISTINCT {t.Key}) FROM {Settings.Schema}.{t.Name}"));
        Assert.That(RawSchema.Tables.Zip(duplicates, (t, d) => $"{t.Name}: {d}"), Is.All.EndWith(": 0"), "duplicate keys per table");
    }

    public abstract void Dispose();
}

public sealed class DuckDbTarget : WarehouseTarget
{
    private readonly TempFolder _folder = new();

    public DuckDbTarget() : this(null) { }

    /// <summary>A DuckDB file at a path of one's choosing (its folder is not removed afterwards); null: one of its own.</summary>
    public DuckDbTarget(string? path) =>
        Settings = new WarehouseSettings(DuckDbProvider.Instance, "raw", path ?? _folder.File("warehouse.duckdb"), null)
        {
            DuckDbThreads = TestRunEnvironment.DuckDbThreads,
        };

    public override WarehouseSettings Settings { get; }

    public override string Name => Path.GetFileNameWithoutExtension(Settings.DuckDbPath);

    public override string[] CliArgs => ["--warehouse", "duckdb", "--duckdb", Settings.DuckDbPath];

    protected override DbConnection Connect() => DuckDbFile.Connect(Settings.DuckDbPath, Settings.DuckDbThreads);

    public override void Dispose() => _folder.Dispose();
}

/// <summary>A schema of its own on the test server, dropped afterwards.</summary>
public sealed class PostgresTarget : WarehouseTarget
{
    public PostgresTarget(string? applicationName = null)
    {
        var connection = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString)
        {
            ApplicationName = applicationName ?? "gamedata-tests",
        };
        Settings = new WarehouseSettings(PostgresProvider.Instance, "t_" + Guid.NewGuid().ToString("N")[..10], "", connection.ConnectionString);
    }

    public override WarehouseSettings Settings { get; }

    public override string Name => Settings.Schema;

    public override string[] CliArgs => ["--warehouse", "postgres", "--postgres", Settings.PostgresConnectionString!, "--schema", Settings.Schema];

    protected override DbConnection Connect()
    {
        var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP SCHEMA IF EXISTS {Settings.Schema} CASCADE";
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// The PostgreSQL server the integration tests use. CI starts it (.ci/run); run locally, the tests start
/// the machine's cluster with scripts/postgres-test-server.sh when they can. Where there is no server at
/// all, the PostgreSQL tests are skipped with the reason, except under CI, where that is a failure.
/// </summary>
public static class PostgresTestServer
{
    public static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("GAMEDATA_TEST_POSTGRES")
        ?? "Host=localhost;Username=gamedata_test;Password=gamedata_test;Database=gamedata_test;Timeout=5";

    private static readonly Lazy<string?> Problem = new(Prepare);

    /// <summary>Call at the start of each PostgreSQL test.</summary>
    public static void Require()
    {
        if (Problem.Value is not { } problem) return;
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1") Assert.Fail($"PostgreSQL is required under CI: {problem}");
        Assert.Ignore($"PostgreSQL not available here ({problem}); run scripts/postgres-test-server.sh");
    }

    private static string? Prepare()
    {
        if (TryConnect() is null) return null;
        var script = Path.Combine(WarehouseTarget.MigrationsFolder, "..", "scripts", "postgres-test-server.sh");
        if (File.Exists(script) && File.Exists("/usr/bin/pg_ctlcluster"))
        {
            using var setup = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            setup.WaitForExit(60_000);
        }
        return TryConnect();
    }

    private static string? TryConnect()
    {
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return e.Message.Split('\n')[0];
        }
    }
}
