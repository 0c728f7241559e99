namespace Pipekit.Pipelines.Sdk;

/// <summary>Records each <c>get_secret</c>/<c>get_secret_field</c> call (run, task, key, time, found or not).</summary>
public interface ISecretAudit
{
    Task RecordAsync(SecretRead read, CancellationToken cancellationToken);
}
