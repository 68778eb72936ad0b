using System.Runtime.InteropServices;

namespace ActorCache.Storage;

/// <summary>
/// Flushes a folder's entries (the names created, renamed or removed in it) to the device. On Linux and macOS a rename
/// or a new file is only durable once its folder is fsynced too; .NET cannot open a folder as a file, so this calls
/// the C library directly. Windows (NTFS journals its metadata) needs nothing.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    // Some file systems cannot fsync a folder at all and say so; there is nothing more to do on them.
    private const int InvalidArgument = 22;

    /// <summary>Makes the entries of <paramref name="directory"/> durable.</summary>
    /// <exception cref="IOException">The folder cannot be opened or the device reports an error.</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != InvalidArgument)
                {
                    throw new IOException($"Cannot flush folder {directory} to the device (errno {error}).");
                }
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
