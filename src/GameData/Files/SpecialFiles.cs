using System.Runtime.InteropServices;
using System.Text;

namespace GameData.Files;

/// <summary>
/// Devices, FIFOs and sockets (<c>/dev/null</c>, <c>/dev/stdout</c> on a pipe, <c>mkfifo</c>): written into as they
/// are, never replaced by a renamed file. .NET has no API for a file's type (FileAttributes says Normal for all of
/// them), so on Linux this asks statx(2), whose layout is the same on every architecture.
/// </summary>
public static class SpecialFiles
{
    private const int CurrentFolder = -100; // AT_FDCWD
    private const uint TypeAndMode = 1; // STATX_TYPE
    private const int ModeOffset = 28; // stx_mode in struct statx
    private const int TypeMask = 0xF000, RegularFile = 0x8000, Folder = 0x4000;

    /// <summary>Whether <paramref name="path"/>, its links followed, exists and is neither a regular file nor a folder.</summary>
    public static bool IsDeviceOrPipe(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var status = new byte[256];
        if (StatX(CurrentFolder, Encoding.UTF8.GetBytes(path + "\0"), 0, TypeAndMode, status) != 0) return false;
        var type = BitConverter.ToUInt16(status, ModeOffset) & TypeMask;
        return type is not (RegularFile or Folder);
    }

    // DllImport, not LibraryImport: byte arrays need no generated marshalling, nor the project unsafe code.
    [DllImport("libc", EntryPoint = "statx")]
    private static extern int StatX(int directory, byte[] path, int flags, uint mask, byte[] status);
}
