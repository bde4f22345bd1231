using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using GameData.Generation;
using GameData.Loading;
using GameData.Tests.Loading;

namespace GameData.Tests.Dbt;

/// <summary>
/// The Snowflake functions MigrateRaw installs, on a real DuckDB file and a real PostgreSQL schema after a real
/// load: each gives Snowflake's documented results on a table of cases; and a small dbt-style project in
/// Snowflake SQL (staging views and a mart, <c>source()</c> and <c>ref()</c> replaced as dbt would) builds on
/// both, after batch 1 and after the batch-2 append.
/// </summary>
[Parallelizable(ParallelScope.Self)]
[TestFixture("duckdb")]
[TestFixture("postgres")]
public class SnowflakeSqlTests(string warehouse)
{
    private static readonly string Project = Path.Combine(TestContext.CurrentContext.TestDirectory, "Dbt", "CourseProject", "models");
    private static readonly string[] Models = ["staging/stg_players", "staging/stg_sessions", "staging/stg_game_events", "marts/fct_player_activity"];
    private WarehouseTarget _target = null!;

    [OneTimeSetUp]
    public void Migrate()
    {
        if (warehouse == "postgres") PostgresTestServer.Require();
        _target = warehouse == "duckdb" ? new DuckDbTarget() : new PostgresTarget();
        _target.Migrate();
        _target.Load(TestDatasets.Small, LoadMode.Recreate);
    }

    [OneTimeTearDown]
    public void Drop() => _target?.Dispose();

    [TestCase("minute", "2011-01-13 10:00:59", "2011-01-13 10:01:00", 1, TestName = "{m}: a minute boundary one second away")]
    [TestCase("minute", "2011-01-13 10:00:00", "2011-01-13 10:00:59", 0, TestName = "{m}: 59 seconds inside one minute")]
    [TestCase("minute", "2011-01-13 10:00:00", "2011-01-13 10:59:59", 59, TestName = "{m}: minutes are boundaries, not elapsed time")]
    [TestCase("day", "2011-01-13 23:59:59", "2011-01-14 00:00:00", 1, TestName = "{m}: one second before midnight to midnight")]
    [TestCase("day", "2011-01-14 00:00:00", "2011-01-13 23:59:59", -1, TestName = "{m}: negative when the end is earlier")]
    [TestCase("second", "2011-01-13 10:00:00", "2011-01-13 10:00:00", 0, TestName = "{m}: the same instant")]
    [TestCase("second", "2011-01-13 10:00:00", "2011-01-13 11:02:03", 3723, TestName = "{m}: seconds")]
    [TestCase("hour", "2011-01-13 10:59:59", "2011-01-13 11:00:00", 1, TestName = "{m}: an hour boundary")]
    [TestCase("week", "2011-01-16 12:00:00", "2011-01-17 00:00:00", 1, TestName = "{m}: Sunday to Monday crosses a week")]
    [TestCase("week", "2011-01-17 00:00:00", "2011-01-23 23:59:59", 0, TestName = "{m}: Monday to Sunday is one week")]
    [TestCase("month", "2011-01-31 23:59:59", "2011-02-01 00:00:00", 1, TestName = "{m}: a month boundary")]
    [TestCase("quarter", "2011-03-31 00:00:00", "2011-04-01 00:00:00", 1, TestName = "{m}: a quarter boundary")]
    [TestCase("year", "2010-12-31 23:59:59", "2011-01-01 00:00:00", 1, TestName = "{m}: a year boundary")]
    [TestCase("mi", "2011-01-13 10:00:59", "2011-01-13 10:01:00", 1, TestName = "{m}: abbreviation mi")]
    [TestCase("MINUTES", "2011-01-13 10:00:59", "2011-01-13 10:01:00", 1, TestName = "{m}: MINUTES in capitals")]
    [TestCase("dd", "2011-01-13 23:59:59", "2011-01-14 00:00:00", 1, TestName = "{m}: abbreviation dd")]
    [TestCase("hh", "2011-01-13 10:59:59", "2011-01-13 11:00:00", 1, TestName = "{m}: abbreviation hh")]
    [TestCase("s", "2011-01-13 10:00:00", "2011-01-13 10:00:07", 7, TestName = "{m}: abbreviation s")]
    [TestCase("wk", "2011-01-16 12:00:00", "2011-01-17 00:00:00", 1, TestName = "{m}: abbreviation wk")]
    [TestCase("mm", "2011-01-31 00:00:00", "2011-03-01 00:00:00", 2, TestName = "{m}: abbreviation mm")]
    [TestCase("yy", "2010-06-01 00:00:00", "2012-01-01 00:00:00", 2, TestName = "{m}: abbreviation yy")]
    [TestCase("ms", "2011-01-13 10:00:00", "2011-01-13 10:00:01.5", 1500, TestName = "{m}: milliseconds")]
    public void Datediff_counts_the_parts_boundaries_as_Snowflake_does(string part, string start, string end, long expected)
    {
        Assert.That(Scalar($"SELECT datediff('{part}', TIMESTAMP '{start}', TIMESTAMP '{end}')"), Is.EqualTo(expected.ToString(CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Datediff_takes_dates_text_and_NULL()
    {
        Assert.That(Scalar("SELECT datediff('day', DATE '2011-01-13', DATE '2011-01-20')"), Is.EqualTo("7"));
        Assert.That(Scalar("SELECT datediff('day', '2011-01-13 23:59:59', '2011-01-14 00:00:00')"), Is.EqualTo("1"), "text, as Snowflake casts it");
        Assert.That(Scalar("SELECT datediff('day', CAST(NULL AS TIMESTAMP), TIMESTAMP '2011-01-14 00:00:00')"), Is.Null);
    }

    [Test]
    public void Datediff_with_an_unknown_part_is_an_error()
    {
        var error = Assert.Catch<DbException>(() => Scalar("SELECT datediff('fortnight', TIMESTAMP '2011-01-13 00:00:00', TIMESTAMP '2011-01-14 00:00:00')"));
        Assert.That(error!.Message, Does.Contain("unknown date or time part 'fortnight'"));
    }

    [TestCase("2011-01-13 10:00:00", "2011-01-13 10:00:00", TestName = "{m}: the RAW format")]
    [TestCase("2011-01-13T10:00:00", "2011-01-13 10:00:00", TestName = "{m}: ISO with T")]
    [TestCase("2011-01-13T10:00:00Z", "2011-01-13 10:00:00", TestName = "{m}: ISO with T and Z")]
    [TestCase("2011-01-13 10:00", "2011-01-13 10:00:00", TestName = "{m}: no seconds")]
    [TestCase("2011-01-13 10:00:00.25", "2011-01-13 10:00:00.25", TestName = "{m}: a fraction")]
    [TestCase("2011-01-13", "2011-01-13 00:00:00", TestName = "{m}: a date")]
    [TestCase("1294912800", "2011-01-13 10:00:00", TestName = "{m}: epoch seconds")]
    [TestCase("1294912800000", "2011-01-13 10:00:00", TestName = "{m}: epoch milliseconds")]
    [TestCase("13/01/2011 10:00", null, TestName = "{m}: day first is not guessed")]
    [TestCase("2011-02-30 10:00:00", null, TestName = "{m}: a day that does not exist")]
    [TestCase("2011-01-13 25:00:00", null, TestName = "{m}: an hour that does not exist")]
    [TestCase("yesterday", null, TestName = "{m}: words")]
    [TestCase("", null, TestName = "{m}: empty text")]
    public void Try_to_timestamp_gives_the_timestamp_or_NULL(string text, string? expected)
    {
        Assert.That(Scalar($"SELECT CAST(try_to_timestamp('{text}') AS VARCHAR)"), Is.EqualTo(expected));
    }

    [Test]
    public void Try_to_timestamp_of_NULL_is_NULL() => Assert.That(Scalar("SELECT try_to_timestamp(CAST(NULL AS VARCHAR))"), Is.Null);

    [Test]
    public void Count_if_counts_true_rows_and_0_on_none()
    {
        Assert.That(Scalar("SELECT count_if(x > 1) FROM (VALUES (1), (2), (3), (NULL)) AS t(x)"), Is.EqualTo("2"));
        Assert.That(Scalar("SELECT count_if(x > 1) FROM (VALUES (1)) AS t(x) WHERE x > 5"), Is.EqualTo("0"));
    }

    [Test]
    public void Iff_parse_json_to_timestamp_and_to_date()
    {
        Assert.That(Scalar("SELECT iff(1 > 0, 'yes', 'no')"), Is.EqualTo("yes"));
        Assert.That(Scalar("SELECT iff(1 > 2, 'yes', 'no')"), Is.EqualTo("no"));
        Assert.That(Scalar("SELECT parse_json('{\"chapter\": 3}') ->> 'chapter'"), Is.EqualTo("3"));
        Assert.That(Scalar("SELECT CAST(to_timestamp('2011-01-13 10:00:00') AS VARCHAR)"), Is.EqualTo("2011-01-13 10:00:00"));
        Assert.That(Scalar("SELECT CAST(to_date('2011-01-13') AS VARCHAR)"), Is.EqualTo("2011-01-13"));
        Assert.That(Assert.Catch<DbException>(() => Scalar("SELECT to_timestamp('not a time')"))!.Message, Does.Contain("is not a timestamp"));
    }

    [Test]
    public void Current_timestamp_with_empty_parentheses_on_DuckDB()
    {
        if (warehouse != "duckdb") Assert.Ignore("PostgreSQL's grammar rejects current_timestamp() and no function can help (see the README)");
        Assert.That(Scalar("SELECT current_timestamp() IS NOT NULL"), Is.EqualTo("True"));
    }

    [Test]
    public void The_functions_are_found_from_another_schema_as_a_dbt_run_uses_them()
    {
        _target.Execute("CREATE SCHEMA IF NOT EXISTS elsewhere");
        _target.Execute("CREATE OR REPLACE VIEW elsewhere.uses_functions AS SELECT datediff('minute', try_to_timestamp('2011-01-13 10:00:59'), " +
                        "try_to_timestamp('2011-01-13 10:01:00')) AS minutes, (SELECT count_if(x) FROM (VALUES (true), (false)) AS t(x)) AS counted");
        Assert.That(_target.Rows("SELECT minutes, counted FROM elsewhere.uses_functions").Single().Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)), Is.EqualTo(new[] { 1L, 1L }));
    }

    [Test]
    public void A_course_style_project_in_Snowflake_SQL_builds_after_batch_1_and_after_the_batch_2_append()
    {
        using var target = warehouse == "duckdb" ? (WarehouseTarget)new DuckDbTarget() : new PostgresTarget();
        target.Migrate();
        target.Load(TestDatasets.Small, LoadMode.Recreate);
        Build(target);
        Assert.That(Mart(target), Is.EqualTo(Expected(TestDatasets.Small)));

        target.Load(TestDatasets.Batch2, LoadMode.Append);
        Build(target);
        Assert.That(Mart(target), Is.EqualTo(Expected(TestDatasets.Small, TestDatasets.Batch2)));
    }

    /// <summary>What dbt would do: source() and ref() replaced by relations, each model a view in schema dev, in order.</summary>
    private static void Build(WarehouseTarget target)
    {
        target.Execute("CREATE SCHEMA IF NOT EXISTS dev");
        foreach (var model in Models.Reverse()) target.Execute($"DROP VIEW IF EXISTS dev.{Path.GetFileName(model)}");
        foreach (var model in Models)
        {
            var sql = File.ReadAllText(Path.Combine(Project, model + ".sql"));
            sql = Regex.Replace(sql, @"\{\{\s*source\('raw',\s*'(\w+)'\)\s*\}\}", m => $"{target.Settings.Schema}.{m.Groups[1].Value}");
            sql = Regex.Replace(sql, @"\{\{\s*ref\('(\w+)'\)\s*\}\}", m => $"dev.{m.Groups[1].Value}");
            target.Execute($"CREATE VIEW dev.{Path.GetFileName(model)} AS\n{sql}");
        }
    }

    private static string Mart(WarehouseTarget target) => string.Join(" ", target.Rows(
        "SELECT count(*), sum(sessions), sum(session_seconds), sum(events), sum(deaths), sum(chapters_completed), " +
        "sum(CASE WHEN player_type = 'returning' THEN 1 ELSE 0 END), count(DISTINCT batch_id), min(days_from_first_seen_to_last_session) >= 0 " +
        "FROM dev.fct_player_activity").Single().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!.ToLowerInvariant()));

    /// <summary>The same figures, computed here from the CSV files.</summary>
    private static string Expected(params string[] datasets)
    {
        var players = datasets.SelectMany(d => File.ReadLines(Path.Combine(d, DatasetFiles.Players)).Skip(1)).ToList();
        var sessions = datasets.SelectMany(d => File.ReadLines(Path.Combine(d, DatasetFiles.Sessions)).Skip(1)).Select(l => l.Split(',')).ToList();
        var events = datasets.SelectMany(d => File.ReadLines(Path.Combine(d, DatasetFiles.Events)).Skip(1)).Select(l => l.Split(',', 5)).ToList();
        static DateTime Time(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var seconds = sessions.Sum(s => (long)(Time(s[3]) - Time(s[2])).TotalSeconds);
        var returning = sessions.GroupBy(s => s[1]).Count(g => g.Count() > 1);
        return string.Join(" ", players.Count, sessions.Count, seconds, events.Count, events.Count(e => e[3] == "player_died"),
            events.Count(e => e[3] == "chapter_completed"), returning, datasets.Length, "true");
    }

    private string? Scalar(string sql) => _target.Rows(sql).Single()[0] switch
    {
        null => null,
        bool b => b ? "True" : "False",
        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
