using System.Text.Json;
using System.Text.RegularExpressions;
using GameData.Generation;
using GameData.Reporting;
using GameData.Tests.Loading;

namespace GameData.Tests.Reporting;

/// <summary>The report's figures against the same figures computed here from the CSV files, and its bad inputs.</summary>
[Parallelizable(ParallelScope.All)]
public class ReportTests
{
    [Test]
    public void Figures_agree_with_an_independent_count_of_the_small_fixture()
    {
        using var output = new TempFolder();
        var html = File.ReadAllText(ReportBuilder.Build(TestDatasets.Small, output.File("report.html")));

        var players = CsvRows(DatasetFiles.Players);
        var sessions = CsvRows(DatasetFiles.Sessions);
        var events = File.ReadLines(Path.Combine(TestDatasets.Small, DatasetFiles.Events)).Skip(1).ToList();
        Assert.That(Fact(html, "players"), Is.EqualTo(players.Count).And.EqualTo(200));
        Assert.That(Fact(html, "sessions"), Is.EqualTo(sessions.Count).And.EqualTo(622));
        Assert.That(Fact(html, "events"), Is.EqualTo(events.Count).And.EqualTo(23206));

        var difficulty = players.GroupBy(p => p[4]).ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.That(TableOf(html, "players-by-difficulty"), Is.EquivalentTo(difficulty));

        // The funnel, counted from the events file with a JSON parser: chapter_id per started/completed event.
        var funnel = new Dictionary<string, (double Started, double Completed)>();
        foreach (var line in events)
        {
            var name = line.Split(',')[3];
            if (name is not ("chapter_started" or "chapter_completed")) continue;
            var json = line[(line.IndexOf(",\"{", StringComparison.Ordinal) + 2)..^1].Replace("\"\"", "\"");
            var chapter = JsonDocument.Parse(json).RootElement.GetProperty("chapter_id").GetInt32().ToString();
            var (started, completed) = funnel.GetValueOrDefault(chapter);
            funnel[chapter] = name == "chapter_started" ? (started + 1, completed) : (started, completed + 1);
        }
        var reported = TableRows(html, "chapter-funnel").ToDictionary(r => r[0], r => (Number(r[1]), Number(r[2])));
        Assert.That(reported.Where(r => r.Value != (0, 0)), Is.EquivalentTo(funnel));

        var platforms = sessions.GroupBy(s => s[4]).ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.That(TableOf(html, "platform-split"), Is.EquivalentTo(platforms));
        var countries = players.GroupBy(p => p[2].ToLowerInvariant()).ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.That(TableOf(html, "players-by-country"), Is.EquivalentTo(countries), "codes normalised to lower case");
    }

    [Test]
    public void A_dataset_larger_than_the_memory_DuckDB_is_given_is_reported_on()
    {
        // 5,000 players: an events file of about 160 MB, several times DuckDB's memory limit for the report.
        using var output = new TempFolder();
        var html = File.ReadAllText(ReportBuilder.Build(TestDatasets.Medium, output.File("report.html")));
        var manifest = DatasetManifest.Read(Path.Combine(TestDatasets.Medium, DatasetManifest.FileName));
        Assert.That(Fact(html, "events"), Is.EqualTo(manifest.Files[DatasetFiles.Events].Rows));
    }

    [Test]
    public void The_report_is_one_self_contained_file()
    {
        using var output = new TempFolder();
        var html = File.ReadAllText(ReportBuilder.Build(TestDatasets.Small, output.File("report.html")));
        Assert.That(Regex.Matches(html, @"(src|href)\s*=\s*""(https?:)?//"), Is.Empty, "no network references");
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(Regex.Matches(html, "<figure class=\"chart\"").Count, Is.EqualTo(ReportCharts.Ids.Count));
        Assert.That(html, Does.Contain("Batch 1, window 2011-01-13 to 2011-02-12"));
    }

    [Test]
    public void A_folder_without_csv_files_is_a_clear_error_and_no_report()
    {
        using var empty = new TempFolder();
        var result = CliRunner.Run(["report", "--data", empty.Path]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.ErrorLines, Is.EqualTo(new[] { $"error: {empty.Path} lacks raw_players.csv, raw_sessions.csv, raw_game_events.csv; run Generate first" }));
        Assert.That(File.Exists(empty.File("report.html")), Is.False);
    }

    [Test]
    public void Files_that_fail_validation_are_a_clear_error_and_no_report()
    {
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        var path = data.File(DatasetFiles.Sessions);
        File.WriteAllText(path, File.ReadAllText(path).Replace(",ps3\n", ",wii\n"));

        var result = CliRunner.Run(["report", "--data", data.Path]);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.Contain("fail validation").And.Contain("unknown-platform").And.Contain("No report was written"));
        Assert.That(File.Exists(data.File("report.html")), Is.False);
    }

    [Test]
    public void Files_without_a_manifest_that_are_valid_still_get_a_report()
    {
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        File.Delete(data.File(DatasetManifest.FileName));
        var result = CliRunner.Run(["report", "--data", data.Path]);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(result.StdOut, Does.Contain($"Report: {data.File("report.html")}"));
        Assert.That(File.ReadAllText(data.File("report.html")), Does.Contain("No manifest.json: settings unknown."));
    }

    [Test]
    public void A_line_over_2_MB_is_reported_on()
    {
        using var data = LongLineDataset.Make();

        var result = CliRunner.Run(["report", "--data", data.Path]);

        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(Fact(File.ReadAllText(data.File("report.html")), "events"), Is.EqualTo(23206));
    }

    [Test]
    public void An_edit_hidden_from_the_file_facts_cache_is_still_validated()
    {
        using var cache = new TempFolder();
        using var data = TestDatasets.CopyOf(TestDatasets.Small);
        var players = data.File(DatasetFiles.Players);
        var anHourAgo = DateTime.UtcNow.AddHours(-1);
        foreach (var file in DatasetFiles.All) File.SetLastWriteTimeUtc(data.File(file), anHourAgo);
        var environment = new Dictionary<string, string?> { [GameData.Files.FileFactsCache.FolderVariable] = cache.Path };
        Assert.That(CliRunner.Run(["report", "--data", data.Path], environment).ExitCode, Is.Zero, "the cache now remembers the files");

        var lines = File.ReadAllLines(players);
        var fields = lines[1].Split(',');
        fields[2] = "zz";
        lines[1] = string.Join(',', fields);
        File.WriteAllText(players, string.Join('\n', lines) + "\n");
        File.SetLastWriteTimeUtc(players, anHourAgo); // touch -d: same size, same time
        var result = CliRunner.Run(["report", "--data", data.Path], environment);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StdOut);
        Assert.That(result.ErrorLines[0], Does.Contain("fail validation").And.Contain("unknown-country"));
    }

    private static List<string[]> CsvRows(string file) =>
        File.ReadLines(Path.Combine(TestDatasets.Small, file)).Skip(1).Select(l => l.Split(',')).ToList();

    private static long Fact(string html, string name) =>
        long.Parse(Regex.Match(html, $"data-fact=\"{name}\"><b>([0-9,]+)</b>").Groups[1].Value.Replace(",", ""));

    private static List<string[]> TableRows(string html, string chart)
    {
        var figure = Regex.Match(html, $"<figure class=\"chart\" id=\"{chart}\".*?</figure>", RegexOptions.Singleline).Value;
        var body = Regex.Match(figure, "<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(body, "<tr>(.*?)</tr>").Select(row => Regex.Matches(row.Groups[1].Value, "<td>(.*?)</td>").Select(c => c.Groups[1].Value).ToArray()).ToList();
    }

    private static Dictionary<string, double> TableOf(string html, string chart) => TableRows(html, chart).ToDictionary(r => r[0], r => Number(r[1]));

    private static double Number(string text) => double.Parse(text.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
}
