using GameData.Generation;

namespace GameData.Tests.Generation;

/// <summary>A run that fails or is interrupted leaves the previous dataset exactly as it was, and no stray files.</summary>
[Parallelizable(ParallelScope.Self)]
public class AtomicOutputTests
{
    [Test]
    public void Cancelled_run_leaves_the_previous_files_untouched_and_no_temporary_files()
    {
        using var folder = new TempFolder();
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 10 }, folder.Path);
        var before = FolderSnapshot.Of(folder.Path);

        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.PlayersDone >= 2000) cancellation.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 5000 }, folder.Path, progress, cancellation.Token));

        Assert.That(FolderSnapshot.Of(folder.Path), Is.EqualTo(before));
    }

    [Test]
    public void Successful_run_replaces_every_file()
    {
        using var folder = new TempFolder();
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 10 }, folder.Path);
        var before = FolderSnapshot.Of(folder.Path);
        DatasetGenerator.Generate(GenerationSettings.Defaults with { Players = 11 }, folder.Path);
        var after = FolderSnapshot.Of(folder.Path);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(after.Where(f => before[f.Key] == f.Value), Is.Empty);
    }

    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
