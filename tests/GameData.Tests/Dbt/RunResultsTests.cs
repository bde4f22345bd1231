using GameData.Dbt;

namespace GameData.Tests.Dbt;

/// <summary>The summary of <c>run_results.json</c>: every status dbt 1.8-1.11 writes counted once, every kind of node named as dbt names it.</summary>
[Parallelizable(ParallelScope.All)]
public class RunResultsTests
{
    [Test]
    public void Every_result_is_counted_once_partial_success_as_failed_and_no_op_as_skipped()
    {
        var summary = Summary("""
            {"results": [
              {"unique_id": "model.game.stg_players", "status": "success", "message": "OK"},
              {"unique_id": "model.game.fct_events", "status": "partial success", "message": "2 of 3 batches failed"},
              {"unique_id": "model.game.stg_sessions", "status": "no-op", "message": null},
              {"unique_id": "test.game.not_null_stg_players_player_id.1a2b", "status": "pass", "message": null},
              {"unique_id": "test.game.accepted_values_stg_sessions_platform.3c4d", "status": "warn", "message": "Got 1 result"},
              {"unique_id": "seed.game.platforms", "status": "success", "message": "INSERT 3"},
              {"unique_id": "snapshot.game.players_snapshot", "status": "error", "message": "Database Error"},
              {"unique_id": "model.game.fct_sessions", "status": "skipped", "message": null}
            ]}
            """);

        Assert.That(summary[0], Is.EqualTo("dbt: 4 models, 2 tests, 1 seed, 1 snapshot; 3 passed, 2 failed, 1 warned, 2 skipped"));
        Assert.That(summary[1..], Is.EqualTo(new[] { "  failed: model fct_events: 2 of 3 batches failed", "  failed: snapshot players_snapshot: Database Error" }));
    }

    [Test]
    public void A_status_dbt_may_add_later_is_counted_too()
    {
        var summary = Summary("""{"results": [{"unique_id": "model.game.a", "status": "success"}, {"unique_id": "model.game.b", "status": "deferred"}]}""");
        Assert.That(summary[0], Is.EqualTo("dbt: 2 models, 0 tests; 1 passed, 0 failed, 0 warned, 0 skipped, 1 deferred"));
    }

    [Test]
    public void Unit_tests_are_tests_named_by_their_own_name_and_hooks_are_not_models()
    {
        var summary = Summary("""
            {"results": [
              {"unique_id": "operation.game.game-on-run-start-0", "status": "success", "message": "OK"},
              {"unique_id": "model.game.stg_players", "status": "success", "message": "OK"},
              {"unique_id": "unit_test.game.stg_players.test_lowercases_platform", "status": "fail", "message": "actual differs from expected"},
              {"unique_id": "operation.game.game-on-run-end-0", "status": "error", "message": "grant failed"}
            ]}
            """);

        Assert.That(summary[0], Is.EqualTo("dbt: 1 model, 1 test, 2 hooks; 2 passed, 2 failed, 0 warned, 0 skipped"));
        Assert.That(summary[1..], Is.EqualTo(new[]
        {
            "  failed: test test_lowercases_platform (unit test of stg_players): actual differs from expected",
            "  failed: hook game-on-run-end-0: grant failed",
        }));
    }

    private static string[] Summary(string json)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("run_results.json"), json);
        return RunResults.Read(folder.File("run_results.json"), DateTime.MinValue)!.Summary().ToArray();
    }
}
