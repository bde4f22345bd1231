using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bogus;
using GameData.Generation;

namespace GameData.Anomalies;

/// <summary>
/// Generate with <c>--anomalies</c>: the reference dataset is generated into a scratch folder, then copied row by
/// row into the output folder with the declared defects mixed in, and <c>anomalies.json</c> lists each one.
/// Rows that carry no defect are copied byte for byte; each defect has a row of its own. Which rows, and every
/// junk value, come from a Bogus generator seeded from the seed and batch, so the same settings give the same bytes.
/// </summary>
public static class AnomalyInjector
{
    public const string Name = "gamedata-anomalies/1";

    public static GenerationResult Generate(GenerationSettings settings, AnomalySpec spec, string outputDirectory,
        IProgress<GenerationProgress>? progress, CancellationToken cancellation)
    {
        using var files = DatasetGenerator.OpenOutput(outputDirectory);
        var scratch = Directory.CreateTempSubdirectory("gamedata-clean-");
        try
        {
            var clean = DatasetGenerator.Generate(settings with { Anomalies = null }, scratch.FullName, progress, cancellation);
            spec.CheckFits(clean.Manifest.Files);
            var random = new Randomizer(SeedOf(settings));
            var injection = new Injection(settings, clean, new JunkValues(random), Choose(spec, clean.Manifest.Files, random));

            var entries = new Dictionary<string, ManifestFile>();
            foreach (var (file, header) in new[] { (DatasetFiles.Players, PlayerGenerator.Header),
                (DatasetFiles.Sessions, SessionGenerator.Header), (DatasetFiles.Events, EventGenerator.Header) })
            {
                cancellation.ThrowIfCancellationRequested();
                using var writer = new RawCsvWriter(files.Create(file), header);
                injection.Rewrite(file, Path.Combine(scratch.FullName, file), writer);
                entries[file] = DatasetGenerator.Complete(writer);
            }

            var list = injection.List(spec);
            var listBytes = Encoding.UTF8.GetBytes(list.ToJson());
            using (var stream = files.Create(AnomalyList.FileName)) stream.Write(listBytes);
            var manifest = clean.Manifest with
            {
                Settings = DatasetGenerator.ManifestSettingsOf(settings),
                Files = entries,
                Anomalies = new ManifestAnomalies(AnomalyList.FileName, Convert.ToHexStringLower(SHA256.HashData(listBytes)),
                    list.Defects.Count),
            };
            using (var stream = files.Create(DatasetManifest.FileName))
            using (var writer = new StreamWriter(stream))
                writer.Write(manifest.ToJson());
            files.Commit();
            return new GenerationResult(Path.GetFullPath(outputDirectory), manifest, clean.NextEventNumber);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Bogus takes an int seed: the first four bytes of a SHA-256 of the run's seed and batch.</summary>
    private static int SeedOf(GenerationSettings settings) =>
        BitConverter.ToInt32(SHA256.HashData(
            Encoding.UTF8.GetBytes($"{Name}/{settings.Seed.ToString(CultureInfo.InvariantCulture)}/{settings.Batch}")));

    /// <summary>For each file, the data rows (0-based) that carry a defect, each row at most one.</summary>
    private static Dictionary<string, SortedDictionary<long, AnomalyKind>> Choose(AnomalySpec spec,
        IReadOnlyDictionary<string, ManifestFile> files, Randomizer random)
    {
        var chosen = DatasetFiles.All.ToDictionary(f => f, _ => new SortedDictionary<long, AnomalyKind>());
        foreach (var kind in AnomalyKind.All)
        {
            var rows = chosen[kind.File];
            var total = files[kind.File].Rows;
            for (var i = 0; i < spec.CountOf(kind); i++)
            {
                // A random row, or the next free one after it: always ends, even when nearly every row is taken.
                var row = (long)(random.Double() * total);
                while (rows.ContainsKey(row)) row = (row + 1) % total;
                rows[row] = kind;
            }
        }
        return chosen;
    }
}
