using System.Text.Json;
using Pipekit.Core.Secrets;

namespace Pipekit.Pipelines.Sdk;

/// <summary>
/// <c>get_secret</c> (seed 000 §2) and <c>get_secret_field</c>, scoped to the caller's DAG: its project section first,
/// then <c>[global]</c>. Every call is audited; a value is never part of an error or the audit.
/// </summary>
public static class SecretMethods
{
    public static void Register(SdkServer server, SecretStore secrets, ISecretAudit? audit, TimeProvider time)
    {
        server.RegisterMethod("get_secret", async (caller, parameters, ct) =>
        {
            var key = RequiredString(parameters, "key", "get_secret");
            var found = secrets.TryResolve(caller.Dag, key, out var value);
            if (audit is not null)
                await audit.RecordAsync(new SecretRead(caller.RunId, caller.Dag, caller.Task, "get_secret", key, null, found, time.GetUtcNow()), ct);
            return found ? value : throw new SdkMethodException($"secret not found: '{key}' is not in [{caller.Dag}] or [global]");
        });
        server.RegisterMethod("get_secret_field", async (caller, parameters, ct) =>
        {
            var secret = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("secret", out _)
                ? RequiredString(parameters, "secret", "get_secret_field")
                : RequiredString(parameters, "key", "get_secret_field");
            var field = RequiredString(parameters, "field", "get_secret_field");
            var found = secrets.TryResolveField(caller.Dag, secret, field, out var value);
            if (audit is not null)
                await audit.RecordAsync(new SecretRead(caller.RunId, caller.Dag, caller.Task, "get_secret_field", secret, field, found, time.GetUtcNow()), ct);
            return found ? value : throw new SdkMethodException(
                $"secret field not found: '{secret}' in [{caller.Dag}] or [global] is not a table with field '{field}'");
        });
    }

    private static string RequiredString(JsonElement parameters, string name, string method)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty(name, out var value))
            throw new SdkMethodException($"missing params.{name}: {method} needs {{\"params\": {{\"{name}\": \"...\"}}}}");
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            throw new SdkMethodException($"params.{name} must be a non-empty string");
        return value.GetString()!;
    }
}
