using GameData.Loading;
using GameData.Tests.Loading;

namespace GameData.Tests.Reset;

/// <summary>
/// A reset drops only what the project's migrations made: a user's functions, views and tables in the RAW schema
/// and objects built on RAW elsewhere (a student's dbt models) are still there afterwards, or the reset refuses and
/// names them; schemas the project never migrated, or shares with others, are refused.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ResetOwnershipTests
{
    private static readonly string[] Small = ["--players", "200"];

    [Test]
    public void A_postgres_reset_keeps_the_users_function_view_table_and_the_models_built_on_raw()
    {
        using var targets = new ResetTargets("postgres", 1);
        var target = targets[0];
        var s = target.Settings.Schema;
        var models = $"dbt_{s}";
        Assert.That(targets.Reset(Small).ExitCode, Is.Zero, "the first reset makes the schema");
        target.Execute($"""
            CREATE FUNCTION {s}.is_whale(sessions bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT sessions > 5';
            CREATE VIEW {s}.my_whales AS SELECT p.PLAYER_ID FROM {s}.RAW_PLAYERS p
                WHERE {s}.is_whale((SELECT count(*) FROM {s}.RAW_SESSIONS x WHERE x.PLAYER_ID = p.PLAYER_ID));
            CREATE TABLE {s}.my_notes (note text); INSERT INTO {s}.my_notes VALUES ('mine');
            CREATE SCHEMA {models};
            CREATE VIEW {models}.stg_players AS SELECT PLAYER_ID, COUNTRY FROM {s}.RAW_PLAYERS;
            CREATE VIEW {models}.players_by_country AS SELECT COUNTRY, count(*) AS n FROM {models}.stg_players GROUP BY COUNTRY;
            CREATE MATERIALIZED VIEW {models}.event_counts AS SELECT EVENT_NAME, count(*) AS n FROM {s}.RAW_GAME_EVENTS GROUP BY EVENT_NAME;
            """);
        try
        {
            target.Load(TestDatasets.Batch2, LoadMode.Append);
            var whales = target.Scalar<long>($"SELECT count(*) FROM {s}.my_whales");

            var result = targets.Reset(Small);

            Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
            Assert.That(target.Counts(), Is.EqualTo((200L, 622L, 23206L)));
            Assert.That(target.Scalar<bool>($"SELECT {s}.is_whale(6)"), Is.True, "the user's function is still there");
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM {s}.my_whales"), Is.LessThan(whales).And.GreaterThan(0), "the view reads the reloaded rows");
            Assert.That(target.Scalar<string>($"SELECT note FROM {s}.my_notes"), Is.EqualTo("mine"));
            Assert.That(target.Scalar<long>($"SELECT sum(n) FROM {models}.players_by_country"), Is.EqualTo(200), "views in another schema kept");
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM pg_matviews WHERE schemaname = '{models}'"), Is.EqualTo(1), "the materialized view kept");
            Assert.That(result.StdOut, Does.Contain("kept: is_whale, my_notes, my_whales"), "kept lists what is really there, functions too");
        }
        finally
        {
            target.Execute($"DROP SCHEMA IF EXISTS {models} CASCADE");
        }
    }

    [Test]
    public void A_postgres_reset_that_must_rebuild_raw_names_the_dependents_and_drops_them_only_with_drop_dependents()
    {
        using var targets = new ResetTargets("postgres", 1);
        var target = targets[0];
        var s = target.Settings.Schema;
        var models = $"dbt_{s}";
        Assert.That(targets.Reset(Small).ExitCode, Is.Zero);
        target.Execute($"""
            CREATE SCHEMA {models};
            CREATE VIEW {models}.stg_players AS SELECT PLAYER_ID FROM {s}.RAW_PLAYERS;
            CREATE VIEW {models}.player_count AS SELECT count(*) AS n FROM {models}.stg_players;
            CREATE TABLE {s}.my_notes (note text);
            UPDATE {s}.schema_versions SET checksum = 'edited';
            """);
        try
        {
            var before = target.Snapshot();
            var refused = targets.Reset(Small);
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.StdOut + refused.StdErr);
            Assert.That(refused.StdOut, Does.Contain($"view {models}.stg_players").And.Contain($"view {models}.player_count").And.Contain("--drop-dependents"));
            Assert.That(target.Snapshot(), Is.EqualTo(before), "refused before anything was dropped");
            Assert.That(target.Scalar<long>($"SELECT n FROM {models}.player_count"), Is.EqualTo(200));

            var dropped = targets.Reset([.. Small, "--drop-dependents"]);
            Assert.That(dropped.ExitCode, Is.Zero, dropped.StdOut + dropped.StdErr);
            Assert.That(dropped.StdOut, Does.Contain($"dropped: view {models}.player_count, view {models}.stg_players"));
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM pg_views WHERE schemaname = '{models}'"), Is.Zero);
            Assert.That(target.Scalar<long>($"SELECT count(*) FROM {s}.my_notes"), Is.Zero, "the user's table is still there");
            Assert.That(target.Migrate().Pending, Is.Empty);
        }
        finally
        {
            target.Execute($"DROP SCHEMA IF EXISTS {models} CASCADE");
        }
    }

    /// <summary>
    /// A class reset twice over schemas whose Snowflake functions live in the schema itself and must be made again
    /// (an edited journal): the aggregate count_if depends on count_if_step, and dropping them in the wrong order or
    /// by a stale name failed for good.
    /// </summary>
    [Test]
    public void Project_functions_are_dropped_by_identity_in_dependency_order()
    {
        using var targets = new ResetTargets("postgres", 5);
        Assert.That(targets.Reset(Small).ExitCode, Is.Zero);
        foreach (var t in targets)
        {
            var s = t.Settings.Schema;
            Assert.That(t.Scalar<long>($"SELECT count(*) FROM pg_proc WHERE pronamespace = '{s}'::regnamespace AND proname = 'count_if'"), Is.EqualTo(1));
            // The aggregate made again after ten other functions, so a clean-up that reads the catalog a few rows at a
            // time meets it after count_if_step.
            t.Execute($"DROP AGGREGATE {s}.count_if(boolean)");
            for (var i = 0; i < 10; i++) t.Execute($"CREATE FUNCTION {s}.mine_{i}() RETURNS int LANGUAGE sql AS 'SELECT {i}'");
            t.Execute($"CREATE AGGREGATE {s}.count_if(boolean) (SFUNC = {s}.count_if_step, STYPE = bigint, INITCOND = '0')");
            t.Execute($"UPDATE {s}.schema_versions SET checksum = 'edited'");
        }

        var again = targets.Reset(Small);

        Assert.That(again.ExitCode, Is.Zero, again.StdOut + again.StdErr);
        foreach (var t in targets)
        {
            Assert.That(t.Scalar<long>($"SELECT {t.Settings.Schema}.count_if(PLAYER_ID IS NOT NULL) FROM {t.Settings.Schema}.RAW_PLAYERS"), Is.EqualTo(200));
            Assert.That(t.Scalar<int>($"SELECT {t.Settings.Schema}.mine_9()"), Is.EqualTo(9), "the user's functions are kept");
        }
    }

    [Test]
    public void Public_is_refused_and_left_as_it_was()
    {
        PostgresTestServer.Require();
        var result = CliRunner.Run(["reset", "--warehouse", "postgres", "--postgres", PostgresTestServer.ConnectionString, "--schema", "public", .. Small, "--yes"]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.StdOut + result.StdErr);
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("'public' is shared"));
    }

    [Test]
    public void A_schema_the_project_never_migrated_is_refused_unless_adopted()
    {
        using var targets = new ResetTargets("postgres", 1);
        var target = targets[0];
        var s = target.Settings.Schema;
        target.Execute($"CREATE SCHEMA {s}; CREATE TABLE {s}.raw_players (player_id text); INSERT INTO {s}.raw_players VALUES ('theirs')");

        var refused = targets.Reset(Small);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.StdOut + refused.StdErr);
        Assert.That(refused.StdOut, Does.Contain("was never migrated by gamedata").And.Contain($"--adopt {s}"));
        Assert.That(target.Scalar<string>($"SELECT player_id FROM {s}.raw_players"), Is.EqualTo("theirs"));

        var adopted = targets.Reset([.. Small, "--adopt", s]);
        Assert.That(adopted.ExitCode, Is.Zero, adopted.StdOut + adopted.StdErr);
        Assert.That(target.Counts(), Is.EqualTo((200L, 622L, 23206L)));
    }

    [Test]
    public void A_schema_whose_journal_belongs_to_another_application_is_refused()
    {
        using var targets = new ResetTargets("postgres", 1);
        var target = targets[0];
        var s = target.Settings.Schema;
        target.Execute($"CREATE SCHEMA {s}; CREATE TABLE {s}.schema_versions (version int, description text); INSERT INTO {s}.schema_versions VALUES (7, 'theirs')");

        var refused = targets.Reset([.. Small, "--adopt", s]);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.StdOut + refused.StdErr);
        Assert.That(refused.StdOut, Does.Contain($"{s}.schema_versions is not gamedata's journal"));
        Assert.That(target.Scalar<string>($"SELECT description FROM {s}.schema_versions"), Is.EqualTo("theirs"));
    }

    [Test]
    public void A_duckdb_file_the_project_never_migrated_is_refused_unless_adopted_and_its_views_are_kept()
    {
        using var targets = new ResetTargets("duckdb", 1);
        var target = targets[0];
        target.Execute("CREATE SCHEMA raw; CREATE TABLE raw.raw_players (player_id VARCHAR); INSERT INTO raw.raw_players VALUES ('theirs')");

        var refused = targets.Reset(Small);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.StdOut + refused.StdErr);
        Assert.That(refused.StdOut, Does.Contain("was never migrated by gamedata"));
        Assert.That(target.Scalar<string>("SELECT player_id FROM raw.raw_players"), Is.EqualTo("theirs"));

        var adopted = targets.Reset([.. Small, "--adopt", target.Name]);
        Assert.That(adopted.ExitCode, Is.Zero, adopted.StdOut + adopted.StdErr);
        target.Execute("CREATE VIEW raw.my_players AS SELECT PLAYER_ID FROM raw.RAW_PLAYERS; CREATE MACRO raw.twice(x) AS x * 2");

        var again = targets.Reset(Small);
        Assert.That(again.ExitCode, Is.Zero, again.StdOut + again.StdErr);
        Assert.That(target.Scalar<long>("SELECT count(*) FROM raw.my_players"), Is.EqualTo(200));
        Assert.That(target.Scalar<long>("SELECT raw.twice(21)"), Is.EqualTo(42));
        Assert.That(again.StdOut, Does.Contain("kept: my_players, twice"));
    }
}
