using System.Diagnostics;
using GameData.Files;

namespace GameData.Tests.Files;

/// <summary>
/// One writer per output folder, and the lock ends with the writer: a child the writer starts (dbt, git, a
/// shell) must not keep the folder locked after the writer has let go.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public class FolderLockTests
{
    [Test]
    public void A_second_writer_is_refused_while_the_first_holds_the_folder()
    {
        using var folder = new TempFolder();
        using (FolderLock.Take(folder.Path))
        {
            var refused = Assert.Throws<IOException>(() => FolderLock.Take(folder.Path).Dispose());
            Assert.That(refused!.Message, Does.StartWith("another gamedata process is writing into"));
        }
        FolderLock.Take(folder.Path).Dispose();
    }

    [Test]
    public void A_child_started_while_the_lock_is_held_does_not_keep_the_folder_locked()
    {
        using var folder = new TempFolder();
        Process child;
        using (FolderLock.Take(folder.Path))
        {
            child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        }
        try
        {
            Assert.DoesNotThrow(() => FolderLock.Take(folder.Path).Dispose(), "the child inherited the lock");
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
            child.Dispose();
        }
    }
}
