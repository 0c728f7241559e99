using Pipekit.Chains.Engines;
using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;

namespace Pipekit.Chains.Diagnostics;

/// <summary><c>pipekit doctor</c>: the <c>[chains].postgres</c> server answers and its role may create databases (CREATEDB).</summary>
internal sealed class ChainsServerCheck(PipekitConfig config, ChainEngines engines) : IDoctorCheck
{
    public string Name => "chains";

    public int Order => 60;

    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        if (config.Chains.Postgres is null)
            return DoctorResult.One(Name, DoctorStatus.Ok, "no [chains].postgres: chains run on duckdb and sqlite layer files");
        var engine = (PostgresChainEngine)engines.Resolve("postgres");
        return await engine.CanCreateDatabasesAsync(cancellationToken)
            ? DoctorResult.One(Name, DoctorStatus.Ok, "[chains].postgres answers and its role has CREATEDB")
            : DoctorResult.One(Name, DoctorStatus.Fail, "the [chains].postgres role lacks CREATEDB; run ALTER ROLE <role> CREATEDB as a superuser");
    }
}
