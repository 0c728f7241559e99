using Pipekit.Core.State;

namespace Pipekit.Chains.State;

/// <summary>Chains' tables in the state store: layer, chain_job, chain_job_file, chain_job_log.</summary>
public static class ChainsSchema
{
    public static StatePart Part { get; } = new("chains", typeof(ChainsSchema).Assembly, "Pipekit.Chains.Migrations.");
}
