using Pipekit.Core.Configuration;
using System.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Projects;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// <c>.sql</c> tasks, in-process (seed 000 §3): the connection string is the secret <c>[dag.sql].connection</c> names,
/// resolved project first, then global; the whole file runs as one batch (SQL Server: one batch per <c>GO</c>); the
/// log says <c>[sql] &lt;path&gt; executed in &lt;d&gt; (&lt;n&gt; rows affected)</c>. No connection is a failure, never a stub.
/// </summary>
internal sealed class SqlTaskRunner(SecretStore secrets, DriverRegistry drivers, Redactor redactor) : ITaskRunner
{
    public async Task<AttemptOutcome> RunAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var project = invocation.Project;
        try
        {
            var key = project.SqlConnection
                ?? throw new SqlTaskException($"SQL task needs a connection: add [dag.sql] connection = \"<secret key>\" to {project.ConfigPath}");
            if (!secrets.TryResolve(project.Name, key, out var value))
                throw new SqlTaskException(
                    $"secret '{key}' named by [dag.sql].connection is not in [{project.Name}] or [global] of {secrets.Path}; add it with 'pipekit secrets set {key} --project {project.Name}'");
            redactor.Register(value);
            var (driver, connection) = SqlTarget.Resolve(drivers, key, value, project.Directory);
            var sql = await File.ReadAllTextAsync(invocation.ScriptPath, cancellationToken);
            IReadOnlyList<string> batches = driver.Kind == "sqlserver" ? SqlBatches.Split(sql) : [sql];

            using var lease = await invocation.SqlConnections.AcquireAsync(driver, connection, cancellationToken);
            using var interrupt = lease.Driver.InterruptOnCancel(lease.Connection, cancellationToken);
            var watch = Stopwatch.StartNew();
            long rows = 0;
            foreach (var batch in batches)
            {
                await using var command = lease.Connection.CreateCommand();
                command.CommandText = batch;
                command.CommandTimeout = 0;
                var affected = await command.ExecuteNonQueryAsync(cancellationToken);
                if (affected > 0) rows += affected;
            }
            invocation.Log.Line($"[sql] {invocation.Task.Script} executed in {DurationText.Format(watch.Elapsed)} ({rows} rows affected)");
            return AttemptOutcome.Succeeded;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // An interrupted statement surfaces as the provider's own error; the caller needs to see a cancellation.
            throw new OperationCanceledException("the SQL task was cancelled", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is SqlTaskException or DriverException or System.Data.Common.DbException or IOException)
        {
            var message = redactor.Redact(ex.Message);
            invocation.Log.Line($"[sql] {invocation.Task.Script} failed: {message}");
            return AttemptOutcome.Failed(message);
        }
    }
}
