using Pipekit.Pipelines.State;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>The body of one task's log panel on the run page; it polls itself every 2 s while the task has not finished.</summary>
internal sealed record TaskLogPanel(long RunId, TaskRunRecord Task, TaskLogTail Log, bool Live);
