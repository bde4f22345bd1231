using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GameData.Tests.Loading;
using Npgsql;

namespace GameData.Tests.Reset;

/// <summary>
/// A class reset stopped by SIGTERM tells the truth target by target, and what a killed reset left behind (its
/// scratch schema, its temporary folders) is removed by the next one.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ResetInterruptTests
{
    [Test]
    public void SIGTERM_during_a_class_reset_reports_each_target_as_it_really_is()
    {
        using var targets = new ResetTargets("postgres", 10);
        var json = Path.Combine(targets.Folder, "result.json");
        using var process = CliRunner.Start(["reset", "--warehouse", "postgres", "--postgres", PostgresTestServer.ConnectionString,
            .. targets.SelectMany(t => new[] { "--schema", t.Settings.Schema }), "--players", "200", "--parallel", "1", "--result-json", json, "--yes"]);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new List<string>();
        // Stop it once the first target is reset: nine are still to come.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            stdout.Add(line);
            if (line.Contains(": reset (", StringComparison.Ordinal)) break;
        }
        Signal(process, "TERM");
        stdout.AddRange(process.StandardOutput.ReadToEnd().Split('\n'));
        Assert.That(process.WaitForExit(60_000), Is.True);

        Assert.That(process.ExitCode, Is.EqualTo(143), string.Join('\n', stdout) + stderr.Result);
        Assert.That(stderr.Result, Does.Not.Contain("nothing was changed"));
        Assert.That(GameData.Tests.Ci.ResultSchema.Errors(File.ReadAllText(json)), Is.Empty, "the JSON follows schemas/result.schema.json");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
        var statuses = document.RootElement.GetProperty("targets").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("status").GetString());
        Assert.That(statuses.Values, Has.Some.EqualTo("reset").And.Some.EqualTo("cancelled"));
        foreach (var target in targets)
        {
            Assert.That(target.Exists(), Is.EqualTo(statuses[target.Name] == "reset"), $"{target.Name} is {statuses[target.Name]}");
            Assert.That(stdout, Has.Some.Match($@"{target.Name}\s+{(statuses[target.Name] == "reset" ? "reset" : "CANCELLED")}"));
        }
        Assert.That(stderr.Result, Does.Contain($"{statuses.Values.Count(s => s == "reset")} of 10 target(s) were reset before the signal"));
    }

    [Test]
    [NonParallelizable] // any reset removes leftovers: another test's would say so instead of this one's
    public void What_a_killed_reset_left_behind_is_removed_by_the_next_one()
    {
        using var targets = new ResetTargets("postgres", 1);
        var deadProcess = DeadProcessId();
        var leftovers = new[] { "gamedata-reset-", "gamedata-seed-" }
            .Select(prefix => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{prefix}{deadProcess}-{Guid.NewGuid().ToString("N")[..6]}")).FullName).ToList();
        var liveFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"gamedata-reset-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}")).FullName;
        var deadSchema = $"gamedata_seed_{Guid.NewGuid().ToString("N")[..10]}";
        var liveSchema = $"gamedata_seed_{Guid.NewGuid().ToString("N")[..10]}";
        using var live = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        live.Open();
        // The live one's owner holds its lock, as a running reset does.
        Run(live, $"SELECT pg_advisory_lock(hashtext('gamedata_seed:{liveSchema}')); CREATE SCHEMA {liveSchema}; CREATE SCHEMA {deadSchema}; " +
                  $"CREATE TABLE {deadSchema}.RAW_PLAYERS (X int)");
        try
        {
            var result = targets.Reset(["--players", "200"]);

            Assert.That(result.ExitCode, Is.Zero, result.StdOut + result.StdErr);
            Assert.That(leftovers.Where(Directory.Exists), Is.Empty, "the killed run's folders are gone");
            Assert.That(Directory.Exists(liveFolder), Is.True, "a running reset's folder stays");
            Assert.That(result.StdOut, Does.Contain($"removed {deadSchema}").And.Contain($"removed {leftovers[0]}"));
            Assert.That(targets[0].Scalar<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = '{deadSchema}'"), Is.Zero);
            Assert.That(targets[0].Scalar<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = '{liveSchema}'"), Is.EqualTo(1));
        }
        finally
        {
            Run(live, $"DROP SCHEMA IF EXISTS {liveSchema} CASCADE; DROP SCHEMA IF EXISTS {deadSchema} CASCADE");
            foreach (var folder in leftovers.Append(liveFolder).Where(Directory.Exists)) Directory.Delete(folder, true);
        }
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static void Run(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
