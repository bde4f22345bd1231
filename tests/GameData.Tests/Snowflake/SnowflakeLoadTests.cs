using System.Text;
using FakeSnowflake;
using GameData.Generation;
using GameData.Loading;
using GameData.Migrations;
using GameData.Tests.Loading;
using GameData.Warehouses.Snowflake;

namespace GameData.Tests.Snowflake;

/// <summary>MigrateRaw and Load on Snowflake, against the local server.</summary>
[Parallelizable(ParallelScope.All)]
public class SnowflakeLoadTests
{
    private static readonly string[] Hostile =
    [
        "it's", "back\\slash", "\\'", "''", "$$dollar$$", "\\n is not a line break", "line\nbreak", "tab\there", "quote \" inside",
        "ünïcødé ✓ 🎮", "\\x41 \\u0041 \\0", "a;\nDROP TABLE RAW.RAW_PLAYERS;--", new string('x', 20_000), "", " leading and trailing ",
    ];

    [TestCaseSource(nameof(Hostile))]
    public void A_literal_round_trips_through_Snowflakes_parsing_rules(string value)
    {
        var sql = SnowflakeSqlLiteral.Quote(value);
        var position = 0;
        Assert.That(SnowflakeLiteral.Read(sql, ref position), Is.EqualTo(value));
        Assert.That(position, Is.EqualTo(sql.Length), "the literal ends where it should");
    }

    [Test]
    public void Migrate_twice_is_a_no_op_and_an_edited_script_is_reported()
    {
        using var kit = new SnowflakeTestKit();
        using var migrations = CopyOfMigrations();
        Assert.That(MigrationRunner.Run(kit.Settings, migrations.Path, false, _ => { }).Pending, Is.EqualTo(new[] { "0001_raw_tables.sql", "0002_load_lock.sql" }));
        Assert.That(kit.Server.Warehouse.TableNames(), Is.SupersetOf(new[] { "RAW_PLAYERS", "RAW_SESSIONS", "RAW_GAME_EVENTS", "_LOADS", "SCHEMA_VERSIONS" }));
        Assert.That(MigrationRunner.Run(kit.Settings, migrations.Path, false, _ => { }).Pending, Is.Empty);

        File.AppendAllText(Path.Combine(migrations.Path, "snowflake", "0001_raw_tables.sql"), "\n-- edited\n");
        var error = Assert.Throws<MigrationException>(() => MigrationRunner.Run(kit.Settings, migrations.Path, false, _ => { }));
        Assert.That(error!.Message, Does.Contain("migration 0001_raw_tables.sql was edited after it was applied"));
    }

    [Test]
    public void Recreate_then_append_then_batch_2()
    {
        using var kit = MigratedKit();
        // The small dataset: how many rows pass through the fake is not the point (the chunk test sends the default one).
        var small = Rows(TestDatasets.Small);
        var recreate = Load(kit, TestDatasets.Small, LoadMode.Recreate);
        Assert.That((recreate.Players.Inserted, recreate.Sessions.Inserted, recreate.Events.Inserted), Is.EqualTo(small));
        Assert.That(Count(kit, "RAW_GAME_EVENTS"), Is.EqualTo(small.Events));

        var again = Load(kit, TestDatasets.Small, LoadMode.Append);
        Assert.That((again.Inserted, again.Events.Skipped), Is.EqualTo((0L, small.Events)));

        var batch2 = Load(kit, TestDatasets.Batch2, LoadMode.Append);
        Assert.That((batch2.Players.Inserted, batch2.Sessions.Inserted, batch2.Events.Inserted), Is.EqualTo((300L, 901L, 33025L)));
        Assert.That(Count(kit, "RAW_PLAYERS"), Is.EqualTo(small.Players + 300));
        using var warehouse = kit.Warehouse();
        var latest = File.ReadLines(Path.Combine(TestDatasets.Batch2, DatasetFiles.Events)).Skip(1).Max(l => l.Split(',')[1]);
        var state = warehouse.ReadState()!;
        Assert.That(state with { LatestLoadFiles = null }, Is.EqualTo(new RawState(small.Players + 300, small.Sessions + 901, small.Events + 33025, 2, latest)));
        Assert.That(state.LatestLoadFiles, Is.EqualTo(DatasetManifest.Read(Path.Combine(TestDatasets.Batch2, DatasetManifest.FileName)).Files.ToDictionary(f => f.Key, f => f.Value.Sha256)));
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty, "staging tables dropped");
    }

    /// <summary>A dataset's rows per file, as its manifest records them.</summary>
    private static (long Players, long Sessions, long Events) Rows(string dataset)
    {
        var files = DatasetManifest.Read(Path.Combine(dataset, DatasetManifest.FileName)).Files;
        return (files[DatasetFiles.Players].Rows, files[DatasetFiles.Sessions].Rows, files[DatasetFiles.Events].Rows);
    }

    [Test]
    public void Chunks_stay_under_the_limits_with_several_requests_in_flight()
    {
        using var kit = MigratedKit();
        kit.Values["SNOWFLAKE_INGEST"] = "sql";
        kit.Values["SNOWFLAKE_CHUNK_ROWS"] = "5000";
        Load(kit, TestDatasets.Default, LoadMode.Recreate, out var client);
        var chunks = kit.Server.Requests.Where(r => r.Statement?.Contains(" FROM VALUES ", StringComparison.Ordinal) == true).ToList();
        Assert.That(chunks, Has.Count.GreaterThan(10));
        Assert.That(chunks.Max(r => Encoding.UTF8.GetByteCount(r.Statement!)), Is.LessThan(1_000_000));
        Assert.That(chunks.Max(r => SnowflakeLiteral.ReadTuples(r.Statement!, r.Statement!.IndexOf(" FROM VALUES ", StringComparison.Ordinal) + 13).Count), Is.LessThanOrEqualTo(5000));
        Assert.That(client.MaxInFlight, Is.GreaterThan(1));
        Assert.That(chunks.Where(r => r.Statement!.Contains("RAW_GAME_EVENTS", StringComparison.Ordinal)).All(r => r.Statement!.Contains("TRY_PARSE_JSON(NULLIF(column7, ''))", StringComparison.Ordinal)), Is.True);
        var commit = kit.Server.Requests.Single(r => r.Statement?.StartsWith("BEGIN TRANSACTION", StringComparison.Ordinal) == true);
        Assert.That(commit.Statement, Does.EndWith("COMMIT"));
        Assert.That(commit.Body!["parameters"]!["MULTI_STATEMENT_COUNT"]!.GetValue<string>(), Is.EqualTo("0"));
    }

    [Test]
    public void Hostile_field_values_arrive_unchanged()
    {
        using var kit = MigratedKit();
        using var data = new TempFolder();
        var version = string.Join(" ", Hostile.Take(12));
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 3, GameVersion = version }, data.Path);

        Load(kit, data.Path, LoadMode.Recreate);

        var events = kit.Server.Warehouse.Table("RAW_GAME_EVENTS")!;
        Assert.That(events.Select(r => r[5]).Distinct(), Is.EqualTo(new[] { version }));
        // The version holds line breaks, so count rows from the manifest, not lines.
        Assert.That(events, Has.Count.EqualTo(DatasetManifest.Read(Path.Combine(data.Path, DatasetManifest.FileName)).Files[DatasetFiles.Events].Rows));
    }

    [Test]
    public void Retries_exhausted_on_the_commit_fail_clearly_leave_RAW_untouched_and_drop_the_staging_tables()
    {
        using var kit = MigratedKit();
        Load(kit, TestDatasets.Small, LoadMode.Recreate);
        var before = kit.Server.Warehouse.Table("RAW_GAME_EVENTS")!.Count;
        kit.Server.Intercept = r => r.Statement?.StartsWith("BEGIN TRANSACTION", StringComparison.Ordinal) == true
            ? SnowflakeTestKit.Status(503, "", "Service Unavailable") : null;

        var error = Assert.Throws<WarehouseException>(() => Load(kit, TestDatasets.Batch2, LoadMode.Recreate));

        Assert.That(error!.Message, Does.StartWith("Snowflake did not answer after 4 attempts: HTTP 503"));
        Assert.That(kit.Server.Warehouse.Table("RAW_GAME_EVENTS")!.Count, Is.EqualTo(before));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS")!.All(r => r[0]!.StartsWith("player_", StringComparison.Ordinal) && !r[0]!.StartsWith("player_2_", StringComparison.Ordinal)), Is.True);
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty, "staging tables dropped after the failure");
        Assert.That(kit.Server.Warehouse.Table("_LOADS")!.Select(r => r[^1]), Is.EqualTo(new[] { "succeeded", "failed" }), "the failure is in the ledger");
    }

    [Test]
    public void A_key_pair_JWT_refused_with_401_is_signed_again_and_the_load_goes_on()
    {
        using var kit = MigratedKit();
        var expired = ExpireTheFirstTokenOn(kit, r => r.Statement?.StartsWith("BEGIN TRANSACTION", StringComparison.Ordinal) == true);

        Load(kit, TestDatasets.Small, LoadMode.Recreate);

        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Has.Count.EqualTo(200));
        var refused = kit.Server.Requests.Where(r => r.Header("Authorization") == expired()).Count(r => r.Statement?.StartsWith("BEGIN", StringComparison.Ordinal) == true);
        var renewed = kit.Server.Requests.Where(r => r.Statement?.StartsWith("BEGIN", StringComparison.Ordinal) == true).Select(r => r.Header("Authorization")).Distinct().ToList();
        Assert.That(refused, Is.EqualTo(1), "the refused token was not sent again");
        Assert.That(renewed, Has.Count.EqualTo(2), "the commit was retried once with a newly signed JWT");
    }

    [Test]
    public void A_failed_load_drops_its_staging_tables_even_when_the_clean_up_gets_a_401()
    {
        using var kit = MigratedKit();
        // The commit fails with an SQL error, and from then on the first JWT is refused: the DROP gets a 401 first.
        ExpireTheFirstTokenOn(kit, r => r.Statement?.StartsWith("DROP TABLE", StringComparison.Ordinal) == true,
            r => r.Statement?.StartsWith("BEGIN TRANSACTION", StringComparison.Ordinal) == true
                ? new FakeResponse(422, new System.Text.Json.Nodes.JsonObject { ["code"] = "000603", ["sqlState"] = "XX000", ["message"] = "SQL execution internal error" })
                : null);

        Assert.Throws<WarehouseException>(() => Load(kit, TestDatasets.Small, LoadMode.Recreate));

        Assert.That(kit.Server.Requests.Any(r => r.Statement?.StartsWith("DROP TABLE", StringComparison.Ordinal) == true && r.Header("Authorization").Length > 0), Is.True);
        Assert.That(kit.Server.Warehouse.TableNames().Where(t => t.StartsWith("_STAGE_", StringComparison.Ordinal)), Is.Empty, "staging tables dropped after the 401");
    }

    [Test]
    public void A_static_token_refused_with_401_fails_at_once_with_what_to_do()
    {
        using var kit = MigratedKit();
        kit.Values.Remove("SNOWFLAKE_PRIVATE_KEY_PATH");
        kit.Values["SNOWFLAKE_TOKEN"] = "pat-that-expired";
        kit.Server.Intercept = _ => SnowflakeTestKit.Status(401, "394400", "Programmatic access token is invalid.");
        var before = kit.Server.Requests.Count;

        var error = Assert.Throws<WarehouseException>(() => Load(kit, TestDatasets.Small, LoadMode.Recreate));

        Assert.That(error!.Message, Does.Contain("HTTP 401").And.Contain("Programmatic access token is invalid").And.Not.Contain("pat-that-expired"));
        var sent = kit.Server.Requests.Skip(before).Select(r => r.Statement).ToList();
        Assert.That(sent, Is.Not.Empty.And.Unique, "not retried: a new token must come from the user");
    }

    /// <summary>
    /// From the first request matching <paramref name="from"/> on, the server answers 401 to the first JWT it saw
    /// (as Snowflake does to a token it no longer accepts); <paramref name="other"/> may answer the rest.
    /// </summary>
    private static Func<string?> ExpireTheFirstTokenOn(SnowflakeTestKit kit, Func<RecordedRequest, bool> from, Func<RecordedRequest, FakeResponse?>? other = null)
    {
        string? first = null;
        var expired = false;
        kit.Server.Intercept = r =>
        {
            var token = r.Header("Authorization");
            first ??= token;
            expired |= from(r);
            if (expired && token == first) return SnowflakeTestKit.Status(401, "390144", "JWT token is invalid.");
            return other?.Invoke(r);
        };
        return () => first;
    }

    [Test]
    public void A_sql_error_in_a_chunk_stops_the_load_with_Snowflakes_message()
    {
        using var kit = MigratedKit();
        kit.Values["SNOWFLAKE_INGEST"] = "sql";
        kit.Server.Intercept = r => r.Statement?.Contains("_RAW_SESSIONS (", StringComparison.Ordinal) == true && r.Statement.Contains("FROM VALUES", StringComparison.Ordinal)
            ? new FakeResponse(422, new System.Text.Json.Nodes.JsonObject { ["code"] = "100038", ["sqlState"] = "22018", ["message"] = "Numeric value 'x' is not recognized" })
            : null;
        var error = Assert.Throws<WarehouseException>(() => Load(kit, TestDatasets.Small, LoadMode.Recreate));
        Assert.That(error!.Message, Is.EqualTo("Snowflake error 100038 (22018): Numeric value 'x' is not recognized"));
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS"), Is.Empty);
        Assert.That(kit.Server.Requests.Any(r => r.Statement?.StartsWith("BEGIN", StringComparison.Ordinal) == true), Is.False, "never reached the commit");
    }

    [Test]
    public void Cli_load_into_snowflake_reports_counts_and_prints_no_secret()
    {
        using var kit = MigratedKit();
        var environment = kit.Values.ToDictionary(v => v.Key, v => v.Value);
        var result = CliRunner.Run(["load", "--mode", "recreate", "--data", TestDatasets.Small], environment);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain("into snowflake MYORG-MYACCOUNT as COURSE_LOADER (GAME_ANALYTICS.RAW)").And.Contain("Loaded 24,028 rows"));
        var key = File.ReadAllText(kit.KeyPath);
        Assert.That(result.StdOut + result.StdErr, Does.Not.Contain(key.Split('\n')[1]));
    }

    [Test]
    public void Cli_with_a_password_only_set_up_says_what_to_use_instead()
    {
        var result = CliRunner.Run(["load", "--data", TestDatasets.Small], new Dictionary<string, string?>
        {
            ["GAME_WAREHOUSE"] = "snowflake", ["SNOWFLAKE_ACCOUNT"] = "myorg-myaccount", ["SNOWFLAKE_USER"] = "student", ["SNOWFLAKE_PASSWORD"] = "hunter2",
        });
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.StartWith("error: SNOWFLAKE_PASSWORD is not enough").And.Not.Contain("hunter2"));
    }

    internal static SnowflakeTestKit MigratedKit()
    {
        var kit = new SnowflakeTestKit();
        MigrationRunner.Run(kit.Settings, WarehouseTarget.MigrationsFolder, false, _ => { });
        return kit;
    }

    internal static LoadCounts Load(SnowflakeTestKit kit, string data, LoadMode mode) => Load(kit, data, mode, out _);

    private static LoadCounts Load(SnowflakeTestKit kit, string data, LoadMode mode, out SnowflakeStatementClient client)
    {
        using var warehouse = kit.Warehouse();
        client = warehouse.Client;
        var plan = DatasetLoader.Plan(warehouse, data, mode, null);
        return DatasetLoader.Run(warehouse, plan, new Progress<string>(), CancellationToken.None);
    }

    private static long Count(SnowflakeTestKit kit, string table) => kit.Server.Warehouse.Table(table)!.Count;

    private static TempFolder CopyOfMigrations()
    {
        var copy = new TempFolder();
        Directory.CreateDirectory(Path.Combine(copy.Path, "snowflake"));
        foreach (var file in Directory.GetFiles(Path.Combine(WarehouseTarget.MigrationsFolder, "snowflake")))
            File.Copy(file, Path.Combine(copy.Path, "snowflake", Path.GetFileName(file)));
        return copy;
    }
}
