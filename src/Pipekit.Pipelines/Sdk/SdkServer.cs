using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipekit.Pipelines.Sdk;

/// <summary>
/// The SDK socket of seed 000 §2: JSON over a Unix socket, one request and one <c>{"result":…,"error":…}</c> response
/// per connection. The request is read until one complete JSON value has arrived or the client half-closes (Pit's
/// own client sends no newline, shuts down its sending side and reads to EOF), at most 64 KiB and 5 s. Connections
/// are served concurrently. Only processes of the server's own uid are answered (SO_PEERCRED). Bad requests get an
/// error response; nothing a client sends stops the server.
/// </summary>
public sealed class SdkServer : IAsyncDisposable
{
    /// <summary>The largest request accepted.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>How long a client has to send its whole request.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection waits, after its response, for the client to close before closing itself.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, SdkMethod> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private Socket? _listener;
    private Task? _acceptLoop;

    public SdkServer(string socketPath, SdkCaller caller, ILogger? logger = null)
    {
        SocketPath = socketPath;
        Caller = caller;
        _logger = logger ?? NullLogger.Instance;
    }

    public string SocketPath { get; }

    public SdkCaller Caller { get; }

    /// <summary>Adds (or replaces) a method; may be called before or after <see cref="Start"/>.</summary>
    public void RegisterMethod(string name, SdkMethod handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        _methods[name] = handler;
    }

    /// <summary>Creates the socket (mode 0600) and starts accepting connections.</summary>
    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("the SDK server is started already");
        if (File.Exists(SocketPath)) File.Delete(SocketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
            File.SetUnixFileMode(SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(1024);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogWarning("SDK socket {Path}: accept failed: {Error}", SocketPath, ex.Message);
                continue;
            }
            var connection = ServeAsync(client, stopping);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        await Task.Yield();
        using (client)
        {
            try
            {
                var response = await HandleAsync(client, stopping);
                await client.SendAsync(response, SocketFlags.None, stopping);
                client.Shutdown(SocketShutdown.Send);
                await DrainAsync(client, stopping);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping: nothing to answer.
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "SDK socket {Path}: a request failed", SocketPath);
            }
        }
    }

    /// <summary>
    /// Reads and drops what the client still sends (a request refused before it was read, or past the size limit) until
    /// it closes, for at most a moment: closing a socket with unread bytes resets the connection, and the client would
    /// see "connection reset" instead of its error response.
    /// </summary>
    private static async Task DrainAsync(Socket client, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(DrainTimeout);
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await client.ReceiveAsync(scratch, SocketFlags.None, deadline.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // The client neither closed nor stopped sending: close anyway.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task<byte[]> HandleAsync(Socket client, CancellationToken stopping)
    {
        var peer = PeerCredentials.Read(client);
        if (peer is null || peer.Value.Uid != PeerCredentials.EffectiveUid)
            return SdkResponse.Error("permission denied: the SDK socket answers only processes of its own user");

        var buffer = ArrayPool<byte>.Shared.Rent(MaxRequestBytes + 1);
        try
        {
            var (length, problem) = await ReadRequestAsync(client, buffer, stopping);
            if (problem is not null) return SdkResponse.Error(problem);
            return await DispatchAsync(buffer.AsMemory(0, length), stopping);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Reads until EOF or until the bytes so far hold one complete JSON value; returns the length, or a problem to answer.
    private static async Task<(int Length, string? Problem)> ReadRequestAsync(Socket client, byte[] buffer, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(ReadTimeout);
        var length = 0;
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), SocketFlags.None, deadline.Token);
                if (read == 0) return (length, length == 0 ? "malformed request: empty; send one JSON object such as {\"method\": \"get_secret\", \"params\": {\"key\": \"...\"}}" : null);
                length += read;
                if (length > MaxRequestBytes) return (length, $"request too large: over {MaxRequestBytes} bytes");
                if (IsCompleteValue(buffer.AsSpan(0, length))) return (length, null);
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (length, $"request timed out: no complete JSON request within {ReadTimeout.TotalSeconds:0} s");
        }
    }

    // True when the bytes start with a complete JSON object or array (anything after it is ignored), or are malformed
    // already: both mean there is nothing to wait for. A scalar is only complete at EOF.
    private static bool IsCompleteValue(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read()) return false;
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return false;
            return reader.TrySkip();
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private async Task<byte[]> DispatchAsync(ReadOnlyMemory<byte> request, CancellationToken stopping)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(request.Span, new JsonReaderOptions { AllowTrailingCommas = false });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return SdkResponse.Error($"malformed request: not valid JSON ({FirstSentence(ex.Message)})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return SdkResponse.Error("malformed request: expected a JSON object with \"method\" and \"params\"");
            if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                return SdkResponse.Error("malformed request: missing \"method\" (a string)");
            var method = methodElement.GetString()!;
            if (!_methods.TryGetValue(method, out var handler))
                return SdkResponse.Error($"unknown method: {method}");
            var parameters = root.TryGetProperty("params", out var p) ? p : default;
            if (parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
                return SdkResponse.Error("malformed request: \"params\" must be an object");
            try
            {
                return SdkResponse.Result(await handler(Caller, parameters, stopping));
            }
            catch (SdkMethodException ex)
            {
                return SdkResponse.Error(ex.Message);
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut < 0 ? message.TrimEnd('.') : message[..cut];
    }

    /// <summary>Stops accepting, waits for requests in flight, and removes the socket file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        await Task.WhenAll(_connections.Keys);
        _stopping.Dispose();
        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
        }
    }
}
