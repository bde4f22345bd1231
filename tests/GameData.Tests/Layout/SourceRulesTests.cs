using System.Text.RegularExpressions;
using GameData.Settings;

namespace GameData.Tests.Layout;

/// <summary>The rules of <c>.editorconfig</c> that the compiler does not check, checked on <c>src/</c>.</summary>
public partial class SourceRulesTests
{
    private const int LongestLine = 140;

    /// <summary>
    /// Lines over <see cref="LongestLine"/> characters that a file still has, from before the rule: a count may only
    /// go down (the test says when to lower it), and a file not listed may have none.
    /// </summary>
    private static readonly Dictionary<string, int> LongLinesLeft = new()
    {
        ["GameData.Cli/Commands/CiFlag.cs"] = 1,
        ["GameData.Cli/Commands/CommandOptions.cs"] = 1,
        ["GameData.Cli/Commands/DbtCommand.cs"] = 3,
        ["GameData.Cli/Commands/GenerateCommand.cs"] = 5,
        ["GameData.Cli/Commands/LoadCommand.cs"] = 3,
        ["GameData.Cli/Commands/MigrateCommand.cs"] = 2,
        ["GameData.Cli/Commands/ResetCommand.cs"] = 8,
        ["GameData.Cli/Commands/ValidateCommand.cs"] = 11,
        ["GameData.Cli/Console/CiOutputs.cs"] = 2,
        ["GameData.Cli/Console/Terminal.cs"] = 1,
        ["GameData.Cli/Program.cs"] = 2,
        ["GameData/Anomalies/AnomalyInjector.cs"] = 4,
        ["GameData/Anomalies/AnomalyKind.cs"] = 3,
        ["GameData/Anomalies/AnomalySpec.cs"] = 4,
        ["GameData/Anomalies/Injection.cs"] = 4,
        ["GameData/Anomalies/JunkValues.cs"] = 3,
        ["GameData/Chain/LoadRaw.cs"] = 3,
        ["GameData/Chain/NextBatchWindow.cs"] = 2,
        ["GameData/Chain/ResetClass.cs"] = 10,
        ["GameData/Dbt/DbtExecutable.cs"] = 7,
        ["GameData/Dbt/DbtProject.cs"] = 1,
        ["GameData/Dbt/DbtRunner.cs"] = 6,
        ["GameData/Dbt/DbtSettings.cs"] = 2,
        ["GameData/Dbt/RunResults.cs"] = 4,
        ["GameData/Files/FileFactsBuilder.cs"] = 2,
        ["GameData/Files/FileFactsCache.cs"] = 2,
        ["GameData/Files/FolderLock.cs"] = 1,
        ["GameData/Files/OutputFile.cs"] = 1,
        ["GameData/Files/TemporaryFiles.cs"] = 1,
        ["GameData/Files/TemporaryFolders.cs"] = 2,
        ["GameData/Generation/AnomalyList.cs"] = 2,
        ["GameData/Generation/DatasetFolder.cs"] = 3,
        ["GameData/Generation/DatasetGenerator.cs"] = 3,
        ["GameData/Generation/DatasetManifest.cs"] = 1,
        ["GameData/Generation/GenerationSettings.cs"] = 2,
        ["GameData/Generation/IDatasetDefects.cs"] = 1,
        ["GameData/Loading/DatasetLoader.cs"] = 6,
        ["GameData/Loading/LoadLedger.cs"] = 5,
        ["GameData/Loading/LoadPlan.cs"] = 1,
        ["GameData/Loading/RawState.cs"] = 1,
        ["GameData/Migrations/BorrowedConnection.cs"] = 1,
        ["GameData/Migrations/ChecksumTableJournal.cs"] = 4,
        ["GameData/Migrations/MigrationRunner.cs"] = 6,
        ["GameData/Reporting/HtmlReport.cs"] = 10,
        ["GameData/Reporting/ReportBuilder.cs"] = 3,
        ["GameData/Reporting/ReportCharts.cs"] = 11,
        ["GameData/Reporting/ReportQueries.cs"] = 3,
        ["GameData/Reporting/SvgChart.cs"] = 11,
        ["GameData/Reset/ResetTarget.cs"] = 4,
        ["GameData/Settings/ChainArguments.cs"] = 1,
        ["GameData/Settings/DotEnvFile.cs"] = 1,
        ["GameData/Settings/RepositoryFolders.cs"] = 1,
        ["GameData/Settings/SettingsJson.cs"] = 1,
        ["GameData/Validation/DatasetValidator.cs"] = 7,
        ["GameData/Validation/EventPropertySchema.cs"] = 9,
        ["GameData/Validation/FieldParsers.cs"] = 1,
        ["GameData/Validation/RawCsvFile.cs"] = 1,
        ["GameData/Validation/Rule.cs"] = 19,
        ["GameData/Validation/TrustedReport.cs"] = 2,
        ["GameData/Validation/ValidationReport.cs"] = 5,
        ["GameData/Warehouses/DuckDb/DuckDbConnectionManager.cs"] = 1,
        ["GameData/Warehouses/DuckDb/DuckDbExtensions.cs"] = 1,
        ["GameData/Warehouses/DuckDb/DuckDbFile.cs"] = 5,
        ["GameData/Warehouses/DuckDb/DuckDbProvider.cs"] = 3,
        ["GameData/Warehouses/DuckDb/DuckDbReset.cs"] = 3,
        ["GameData/Warehouses/DuckDb/DuckDbWarehouse.cs"] = 6,
        ["GameData/Warehouses/IWarehouseProvider.cs"] = 3,
        ["GameData/Warehouses/LockWait.cs"] = 1,
        ["GameData/Warehouses/Postgres/PostgresConnectionStrings.cs"] = 1,
        ["GameData/Warehouses/Postgres/PostgresProvider.cs"] = 11,
        ["GameData/Warehouses/Postgres/PostgresReset.cs"] = 9,
        ["GameData/Warehouses/Postgres/PostgresWarehouse.cs"] = 11,
        ["GameData/Warehouses/Snowflake/SnowflakeAccount.cs"] = 1,
        ["GameData/Warehouses/Snowflake/SnowflakeExtensions.cs"] = 1,
        ["GameData/Warehouses/Snowflake/SnowflakeProvider.cs"] = 6,
        ["GameData/Warehouses/Snowflake/SnowflakeReset.cs"] = 5,
        ["GameData/Warehouses/Snowflake/SnowflakeRestConnection.cs"] = 2,
        ["GameData/Warehouses/Snowflake/SnowflakeSettings.cs"] = 4,
        ["GameData/Warehouses/Snowflake/SnowflakeStatementClient.cs"] = 7,
        ["GameData/Warehouses/Snowflake/SnowflakeWarehouse.cs"] = 22,
        ["GameData/Warehouses/SqlIdentifier.cs"] = 2,
        ["GameData/Warehouses/WarehouseRegistry.cs"] = 1,
        ["GameData/Warehouses/WarehouseSettings.cs"] = 1,
    };

    private static readonly string Source = Path.Combine(RepositoryFolders.Root(TestContext.CurrentContext.TestDirectory), "src");

    private static IEnumerable<(string Path, string[] Lines)> Files() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Intersect(["obj", "bin"]).Any())
            .Select(f => (Path.GetRelativePath(Source, f).Replace('\\', '/'), File.ReadAllLines(f)));

    [Test]
    public void No_line_is_longer_than_140_characters()
    {
        var problems = new List<string>();
        foreach (var (path, lines) in Files())
        {
            var longLines = lines.Select((text, i) => (Text: text, Number: i + 1)).Where(l => l.Text.Length > LongestLine).ToList();
            var allowed = LongLinesLeft.GetValueOrDefault(path);
            if (longLines.Count > allowed)
                problems.AddRange(longLines.Select(l => $"src/{path}:{l.Number}: {l.Text.Length} characters"));
            else if (longLines.Count < allowed)
                problems.Add($"src/{path} has {longLines.Count} lines over {LongestLine} characters now: lower its count in {nameof(LongLinesLeft)}");
        }
        Assert.That(string.Join("\n", problems), Is.Empty);
    }

    [Test]
    public void A_public_exception_or_interface_has_a_file_of_its_own()
    {
        var crowded = Files()
            .Select(f => (f.Path, Types: f.Lines.Select(l => PublicType().Match(l)).Where(m => m.Success).ToList()))
            .Where(f => f.Types.Count > 1 && f.Types.Any(m => m.Groups[1].Value == "interface" || m.Groups[2].Value.EndsWith("Exception", StringComparison.Ordinal)))
            .Select(f => $"src/{f.Path} declares {string.Join(", ", f.Types.Select(m => m.Groups[2].Value))}: one public type per file");
        Assert.That(string.Join("\n", crowded), Is.Empty);
    }

    /// <summary>A top-level public type (file-scoped namespaces: no indentation).</summary>
    [GeneratedRegex(@"^public (?:(?:sealed|static|abstract|partial|readonly) )*(class|record|struct|interface|enum)(?: struct| class)? (\w+)")]
    private static partial Regex PublicType();
}
