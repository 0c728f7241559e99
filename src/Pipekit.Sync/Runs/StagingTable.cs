using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Where a module's rows land before the merge: <c>pipekit_staging.{module}</c>, or
/// <c>pipekit_staging__{module}</c> on engines without schemas (SQLite).
/// </summary>
public static class StagingTable
{
    public const string Schema = "pipekit_staging";

    public static TableName For(string moduleName, IDdlDialect ddl) =>
        ddl.SupportsSchemas ? new TableName(moduleName, Schema) : new TableName($"{Schema}__{moduleName}");
}
