using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Pipekit.Pipelines.Tests.Fixtures;

/// <summary>Raw SDK socket clients, each behaving like a client in the wild.</summary>
internal static class SdkClient
{
    /// <summary>As Pit's original Python client: the bytes, no newline, SHUT_WR, then read to EOF.</summary>
    public static async Task<JsonElement> CallAsync(string socketPath, string request, bool halfClose = true)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None);
        if (halfClose) socket.Shutdown(SocketShutdown.Send);
        var response = await ReadToEndAsync(socket);
        return JsonDocument.Parse(response).RootElement.Clone();
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(chunk, SocketFlags.None);
            if (read == 0) return buffer.ToArray();
            buffer.Write(chunk, 0, read);
        }
    }

    public static Task<JsonElement> GetSecretAsync(string socketPath, string key) =>
        CallAsync(socketPath, JsonSerializer.Serialize(new { method = "get_secret", @params = new { key } }));
}
