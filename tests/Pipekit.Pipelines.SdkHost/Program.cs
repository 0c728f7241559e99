using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Sdk;

// Usage: Pipekit.Pipelines.SdkHost SECRETS_FILE DAG TASK SOCKET_PATH
// Serves the SDK socket of one task of DAG with the secrets of SECRETS_FILE, prints "ready" once it accepts
// connections, prints one audit line per secret read, and stops when its standard input closes.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Pipekit.Pipelines.SdkHost SECRETS_FILE DAG TASK SOCKET_PATH");
    return 2;
}
var secrets = await SecretStore.LoadAsync(args[0], CancellationToken.None);
await using var server = new SdkServer(args[3], new SdkCaller("host", args[1], args[2]));
SecretMethods.Register(server, secrets, new ConsoleAudit(), TimeProvider.System);
server.Start();
Console.WriteLine("ready");
await Console.In.ReadToEndAsync();
return 0;

internal sealed class ConsoleAudit : ISecretAudit
{
    public Task RecordAsync(SecretRead read, CancellationToken cancellationToken)
    {
        lock (this) Console.WriteLine($"audit {read.Dag} {read.Task} {read.Method} {read.Key} {read.Field ?? "-"} {(read.Found ? "found" : "missing")}");
        return Task.CompletedTask;
    }
}
