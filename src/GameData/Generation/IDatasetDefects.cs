namespace GameData.Generation;

/// <summary>
/// Defects to mix into the dataset (<c>--anomalies</c>). The Anomalies stage implements it; Generation only hands
/// the work over, so it needs no catalogue of defects.
/// </summary>
public interface IDatasetDefects
{
    /// <summary>What manifest.json records: a preset's name, or the counts.</summary>
    string Text { get; }

    /// <summary>Generates the clean dataset, then writes it into <paramref name="outputDirectory"/> with the defects mixed in.</summary>
    GenerationResult Generate(GenerationSettings settings, string outputDirectory, IProgress<GenerationProgress>? progress,
        CancellationToken cancellation);
}
