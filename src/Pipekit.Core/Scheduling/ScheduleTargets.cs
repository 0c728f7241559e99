using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>The schedule target kinds the parts registered, looked up by <c>target_kind</c>.</summary>
public sealed class ScheduleTargets
{
    private readonly Dictionary<string, IScheduleTarget> _targets;

    public ScheduleTargets(IEnumerable<IScheduleTarget> targets)
    {
        _targets = new Dictionary<string, IScheduleTarget>(StringComparer.Ordinal);
        foreach (var target in targets)
            if (!_targets.TryAdd(target.Kind, target))
                throw new InvalidOperationException($"two schedule targets are registered for kind '{target.Kind}'");
    }

    public IReadOnlyCollection<string> Kinds => _targets.Keys;

    /// <summary>The target of a kind, or a validation error on <c>target_kind</c> that lists the known kinds.</summary>
    public IScheduleTarget Get(string? kind) =>
        kind is not null && _targets.TryGetValue(kind, out var target)
            ? target
            : throw new ValidationException("target_kind",
                _targets.Count == 0
                    ? "no part that runs schedules is installed"
                    : $"'{kind}' is not a schedule target; use one of: {string.Join(", ", _targets.Keys.Order(StringComparer.Ordinal))}");
}
