using Pipekit.Chains.Engines;
using Pipekit.Chains.Hashing;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Projects;

namespace Pipekit.Chains.Planning;

/// <summary>Plans a chain without running it: the steps, their state hashes, the longest cached prefix and why the rest misses.</summary>
public sealed class ChainPlanner
{
    private readonly ChainEngines _engines;
    private readonly LayerCache _cache;

    internal ChainPlanner(ChainEngines engines, LayerCache cache)
    {
        _engines = engines;
        _cache = cache;
    }

    public async Task<ChainPlanReport> PlanAsync(ProjectTree tree, string headPath, string? engineName, CancellationToken cancellationToken)
    {
        var plan = ChainOrder.Plan(tree, headPath);
        var engine = _engines.Resolve(engineName);
        var fingerprint = await engine.FingerprintAsync(cancellationToken);
        var baseHash = StateHash.Root(fingerprint);
        var tail = plan.Tail;
        var states = StateHash.States(baseHash, plan.Steps.Take(plan.Head.Index + 1));
        var tailStates = states.Take(tail.Count).ToList();
        var (found, _) = await _cache.LookupAsync(engine, tailStates, null, cancellationToken);
        var cached = (await _cache.Catalog.FindAsync(engine.Kind, tailStates, cancellationToken)).ToDictionary(l => l.StateHash, StringComparer.Ordinal);
        var steps = plan.Steps.Take(plan.Head.Index + 1).Select(s => s.Index == plan.Head.Index
                ? new PlannedStep(s.Index, s.Path, "head", states[s.Index], false, null)
                : new PlannedStep(s.Index, s.Path, "tail", states[s.Index], cached.ContainsKey(states[s.Index]),
                    cached.TryGetValue(states[s.Index], out var l) ? Path.GetFileName(l.StoreName) : null))
            .ToList();
        MissReason? miss = null;
        if (found < tail.Count)
        {
            var all = await _cache.Catalog.ListAsync(engine.Kind, cancellationToken);
            miss = MissExplainer.Explain(all, fingerprint, baseHash, tail, tailStates, found);
        }
        return new ChainPlanReport(engine.Kind, baseHash, tail.Count == 0 ? baseHash : tailStates[^1], steps, found, miss);
    }
}
