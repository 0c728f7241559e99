using System.Text;
using Pipekit.Core.Secrets;

namespace Pipekit.Pipelines.Execution;

/// <summary>
/// The log of one task: <c>logs/&lt;task&gt;.log</c>, stdout and stderr combined, every line redacted; a retry appends
/// after a <c>--- retry attempt N/M ---</c> separator. With <c>--verbose</c> each line is also streamed as <c>[task] line</c>.
/// </summary>
public sealed class TaskLog : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly Redactor _redactor;
    private readonly string _task;
    private readonly Action<string>? _output;
    private readonly Lock _gate = new();

    private TaskLog(string path, string task, StreamWriter writer, Redactor redactor, Action<string>? output)
    {
        Path = path;
        _task = task;
        _writer = writer;
        _redactor = redactor;
        _output = output;
    }

    public string Path { get; }

    /// <summary>Opens (appending: a resume keeps what earlier attempts wrote) the log of <paramref name="task"/>.</summary>
    public static TaskLog Open(string path, string task, Redactor redactor, Action<string>? output)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new TaskLog(path, task, new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true }, redactor, output);
    }

    public void Line(string text)
    {
        var safe = _redactor.Redact(text);
        lock (_gate)
        {
            _writer.Write(safe);
            _writer.Write('\n');
        }
        _output?.Invoke($"[{_task}] {safe}");
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
