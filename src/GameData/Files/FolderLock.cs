using System.Runtime.InteropServices;

namespace GameData.Files;

/// <summary>
/// One writer per output folder, so that two runs cannot each rename their files into place and leave a mixed
/// set. On Unix an exclusive advisory lock (flock) on the folder itself: nothing is left in it, and the OS drops
/// the lock when the process dies. Windows cannot lock a folder: there a hidden lock file, deleted on close
/// (no other process can open it meanwhile).
/// </summary>
public sealed class FolderLock : IDisposable
{
    private const int LockExclusive = 2, DoNotBlock = 4;
    // O_CLOEXEC: a child this process starts (dbt, git) must not inherit the descriptor, or the lock would
    // outlive our release for as long as the child runs.
    private static readonly int CloseOnExec = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
    private readonly int _descriptor = -1;
    private readonly FileStream? _windowsFile;

    private FolderLock(int descriptor) => _descriptor = descriptor;
    private FolderLock(FileStream windowsFile) => _windowsFile = windowsFile;

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist), or refuses at once if another process holds it.</summary>
    public static FolderLock Take(string folder)
    {
        var held = $"another gamedata process is writing into {folder}; try again when it has finished";
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return new FolderLock(new FileStream(Path.Combine(folder, ".gamedata.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                    FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException e) when ((e.HResult & 0xFFFF) == 32) { throw new IOException(held, e); }
        }
        var descriptor = open(folder, CloseOnExec);
        if (descriptor < 0) throw new IOException($"cannot open {folder} to lock it: {Marshal.GetLastPInvokeErrorMessage()}");
        if (flock(descriptor, LockExclusive | DoNotBlock) == 0) return new FolderLock(descriptor);
        var error = Marshal.GetLastPInvokeError();
        close(descriptor);
        // EWOULDBLOCK: 11 on Linux, 35 on macOS.
        throw new IOException(error is 11 or 35 ? held : $"cannot lock {folder}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    public void Dispose()
    {
        if (_descriptor >= 0) close(_descriptor);
        _windowsFile?.Dispose();
    }

#pragma warning disable SYSLIB1054 // LibraryImport's generated code needs unsafe blocks, which the projects do not allow.
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int descriptor, int operation);

    [DllImport("libc")]
    private static extern int close(int descriptor);
#pragma warning restore SYSLIB1054
}
