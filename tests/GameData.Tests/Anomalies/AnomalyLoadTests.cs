using GameData.Generation;
using GameData.Loading;
using GameData.Reporting;
using GameData.Tests.Loading;
using GameData.Tests.Snowflake;

namespace GameData.Tests.Anomalies;

/// <summary>RAW keeps what the files hold: an anomaly dataset loads whole, duplicates included, on every warehouse.</summary>
[Parallelizable(ParallelScope.All)]
public class AnomalyLoadTests
{
    private static string Dataset => AnomalyDatasetTests.Dataset("course");

    private static (long Players, long Sessions, long Events) FileRows()
    {
        var files = DatasetManifest.Read(Path.Combine(Dataset, DatasetManifest.FileName)).Files;
        return (files[DatasetFiles.Players].Rows, files[DatasetFiles.Sessions].Rows, files[DatasetFiles.Events].Rows);
    }

    private static DeclaredDefect Declared(string kind) => AnomalyList.Read(Path.Combine(Dataset, AnomalyList.FileName)).Defects.First(d => d.Kind == kind);

    [TestCase("duckdb")]
    [TestCase("postgres")]
    public void Every_row_loads_duplicates_included_and_an_append_adds_nothing(string warehouse)
    {
        using WarehouseTarget target = warehouse == "duckdb" ? new DuckDbTarget() : new PostgresTarget();
        target.Migrate();
        var loaded = target.Load(Dataset, LoadMode.Recreate);
        Assert.That(target.Counts(), Is.EqualTo(FileRows()));
        Assert.That((loaded.Players.Inserted, loaded.Sessions.Inserted, loaded.Events.Inserted), Is.EqualTo(FileRows()));
        Assert.That(target.Scalar<long>("SELECT count(*) - count(DISTINCT EVENT_ID) FROM raw.RAW_GAME_EVENTS".Replace("raw.", target.Settings.Schema + ".")), Is.EqualTo(5));
        Assert.That(target.Scalar<long>($"SELECT count(*) - count(DISTINCT PLAYER_ID) FROM {target.Settings.Schema}.RAW_PLAYERS"), Is.EqualTo(5));

        // A truncated properties value is kept as the JSON string it arrived as; an empty one is NULL.
        var truncated = Declared("truncated-properties");
        var kept = target.Scalar<string>($"SELECT CAST(PROPERTIES AS VARCHAR) FROM {target.Settings.Schema}.RAW_GAME_EVENTS WHERE EVENT_ID = '{truncated.Key}'");
        Assert.That(System.Text.Json.JsonSerializer.Deserialize<string>(kept), Is.EqualTo(truncated.Value));
        Assert.That(target.Scalar<long>($"SELECT count(*) FROM {target.Settings.Schema}.RAW_GAME_EVENTS WHERE EVENT_ID = '{Declared("missing-properties").Key}' AND PROPERTIES IS NULL"), Is.EqualTo(1));

        var again = target.Load(Dataset, LoadMode.Append);
        Assert.That(again.Inserted, Is.Zero);
        Assert.That(target.Counts(), Is.EqualTo(FileRows()));
    }

    [Test]
    public void A_clean_batch_appended_after_it_adds_only_new_keys()
    {
        using var target = new PostgresTarget();
        target.Migrate();
        target.Load(Dataset, LoadMode.Recreate);
        var clean = target.Load(AnomalyDatasetTests.Dataset(null), LoadMode.Append);
        // Every clean key is already there (the defects only changed or added rows): nothing new.
        Assert.That(clean.Inserted, Is.Zero);
        Assert.That(target.Counts(), Is.EqualTo(FileRows()));
    }

    [Test]
    public void Every_row_loads_into_snowflake_duplicates_included_and_an_append_adds_nothing()
    {
        using var kit = SnowflakeLoadTests.MigratedKit();
        var loaded = SnowflakeLoadTests.Load(kit, Dataset, LoadMode.Recreate);
        Assert.That((loaded.Players.Inserted, loaded.Sessions.Inserted, loaded.Events.Inserted), Is.EqualTo(FileRows()));
        var events = kit.Server.Warehouse.Table("RAW_GAME_EVENTS")!;
        Assert.That(events.Count, Is.EqualTo(FileRows().Events));
        Assert.That(events.Count - events.Select(r => r[0]).Distinct().Count(), Is.EqualTo(5));
        var missingPlatform = Declared("missing-platform").Key; // read once, not once per row
        Assert.That(events.Single(r => r[0] == missingPlatform)[4], Is.Null, "an empty field is NULL, as on DuckDB and PostgreSQL");

        var again = SnowflakeLoadTests.Load(kit, Dataset, LoadMode.Append);
        Assert.That(again.Inserted, Is.Zero);
        Assert.That(kit.Server.Warehouse.Table("RAW_PLAYERS")!.Count, Is.EqualTo(FileRows().Players));
    }

    [Test]
    public void The_report_shows_what_was_declared_and_what_the_profile_finds()
    {
        using var output = new TempFolder();
        var html = File.ReadAllText(ReportBuilder.Build(Dataset, output.File("report.html")));
        Assert.That(html, Does.Contain("id=\"data-quality\""));
        Assert.That(html, Does.Contain("<td>duplicate-event</td><td>raw_game_events.csv</td><td class=\"n\">5</td><td>duplicate-key</td>"));
        Assert.That(html, Does.Contain("<td>raw_game_events.csv</td><td>event_id repeated</td><td class=\"n\">5</td>"));
        Assert.That(html, Does.Contain("<td>raw_sessions.csv</td><td>session ends before it starts</td><td class=\"n\">5</td>"));
        Assert.That(html, Does.Contain("<td>raw_game_events.csv</td><td>properties not valid JSON</td><td class=\"n\">5</td>"));

        var clean = File.ReadAllText(ReportBuilder.Build(AnomalyDatasetTests.Dataset(null), output.File("clean.html")));
        Assert.That(clean, Does.Contain("No defects declared"));
        Assert.That(clean, Does.Not.Contain("id=\"quality-profile\""));
    }
}
