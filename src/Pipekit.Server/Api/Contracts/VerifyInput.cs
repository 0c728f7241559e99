using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Verification;

namespace Pipekit.Server.Api.Contracts;

/// <summary>
/// Optional body of <c>POST /api/modules/{id}/verify</c>: <c>mode</c> (<c>counts</c> or <c>keys</c>; default keys when
/// the module has a merge key, else counts), <c>columns</c> to compare every column, <c>where</c> to compare a slice.
/// </summary>
internal sealed record VerifyInput(string? Mode, bool? Columns, string? Where)
{
    public VerifyRequest ToRequest(Module module)
    {
        var mode = module.MergeKeyColumns.Count > 0 ? VerifyMode.Keys : VerifyMode.Counts;
        if (Mode is not null && (!ModuleOptionText.TryParse(Mode, out mode) || mode == VerifyMode.None))
            throw new ValidationException("mode", $"'{Mode}' must be counts or keys");
        return new VerifyRequest(mode, Columns ?? false, string.IsNullOrWhiteSpace(Where) ? null : Where);
    }
}
