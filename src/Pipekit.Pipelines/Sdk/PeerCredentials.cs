using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Pipekit.Pipelines.Sdk;

// SO_PEERCRED of a connected Unix socket: the pid, uid and gid of the process that connected, as the kernel
// recorded them at connect time. A client cannot forge them, and reading them needs no change on its side.
internal static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static (int Pid, uint Uid, uint Gid)? Read(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            if (length < 12) return null;
        }
        catch (SocketException)
        {
            return null;
        }
        return (BitConverter.ToInt32(ucred[..4]), BitConverter.ToUInt32(ucred[4..8]), BitConverter.ToUInt32(ucred[8..12]));
    }

    public static uint EffectiveUid => GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();
}
