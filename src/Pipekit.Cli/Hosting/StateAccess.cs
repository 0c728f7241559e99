using Pipekit.Core.State;

namespace Pipekit.Cli.Hosting;

/// <summary>Commands that read or write the state database make sure it exists and is current first.</summary>
internal static class StateAccess
{
    public static async Task<T> ReadyAsync<T>(this CliContext ctx, CancellationToken ct) where T : notnull
    {
        await (await ctx.GetAsync<StateStore>(ct)).EnsureReadyAsync(ct);
        ctx.Mark("state ready");
        return await ctx.GetAsync<T>(ct);
    }
}
