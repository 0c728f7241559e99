using System.CommandLine;
using Pipekit.Cli.Connections;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Connections;
using Pipekit.Sync.Files;
using Pipekit.Sync.Wizard;

namespace Pipekit.Cli.Modules;

/// <summary>
/// <c>pipekit modules new --from CONN --table T --to CONN</c>: the wizard's proposal (<c>POST /api/introspect/propose</c>)
/// on the command line, written as a module file to review and apply. Nothing is saved in the state.
/// </summary>
internal static class ModuleNewCommand
{
    public static Command Build(CommandRunner runner)
    {
        var from = new Option<string>("--from") { Description = "Source connection", Required = true };
        var table = new Option<string>("--table") { Description = "Source table, qualified as the source names it (e.g. public.orders)", Required = true };
        var to = new Option<string?>("--to") { Description = "Destination connection (default: the source's default destination, else the last one used)" };
        var name = new Option<string?>("--name") { Description = "Module name (default: the table name, made unique)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the module file here (refused if it exists) instead of standard output" };
        var command = new Command("new", "Propose a module for one source table from the driver defaults and print it as a module file")
        {
            from, table, to, name, output,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var connections = await ctx.ReadyAsync<ConnectionRepository>(ct);
            var source = await ConnectionsCommand.RequireAsync(connections, ctx.Value(from), ct);
            long? destId = ctx.Value(to) is { } t ? (await ConnectionsCommand.RequireAsync(connections, t, ct)).Id : null;
            var path = ctx.Value(output);
            if (path is not null && File.Exists(path)) throw new UsageException($"{path} exists; choose another --output or remove it first");

            var wizard = await ctx.GetAsync<ModuleWizard>(ct);
            var (tableName, qualifiers) = Qualify(ctx.Value(table), await wizard.BrowseFieldsAsync(source.Id, ct));
            var module = await wizard.ProposeAsync(source.Id, tableName, qualifiers, destId, ct);
            if (ctx.Value(name) is { } given) module = module with { Name = given.Trim() };
            var text = SyncFileWriter.Write([module], [], (await connections.ListAsync(ct)).ToDictionary(c => c.Id));
            if (path is null)
            {
                await ctx.Out.WriteAsync(text);
                return ExitCodes.Success;
            }
            await File.WriteAllTextAsync(path, text, ct);
            await ctx.Out.WriteLineAsync($"wrote module '{module.Name}' ({module.Columns.Count} columns, strategy full) to {path}; review it, then 'pipekit modules apply -f {path}'");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>public.orders</c> on a dialect browsed by schema: table <c>orders</c> with <c>schema = public</c>.</summary>
    internal static (string Table, IReadOnlyDictionary<string, string?> Qualifiers) Qualify(string text, IReadOnlyList<Pipekit.Core.Drivers.BrowseField> fields)
    {
        var parts = text.Trim().Split('.');
        if (parts.Any(string.IsNullOrWhiteSpace)) throw new UsageException($"--table '{text}' has an empty part; write it as table or schema.table");
        var qualifiers = new Dictionary<string, string?>(StringComparer.Ordinal);
        var leading = parts.Length - 1;
        if (leading > fields.Count)
            throw new UsageException(fields.Count == 0
                ? $"--table '{text}': this connection's tables take no qualifier; give the table name alone"
                : $"--table '{text}' has {leading} qualifier(s); this connection takes at most {fields.Count} ({string.Join(", ", fields.Select(f => f.Name))})");
        // The qualifiers given are the innermost ones (schema in catalog.schema.table).
        var offset = fields.Count - leading;
        for (var i = 0; i < leading; i++) qualifiers[fields[offset + i].Name] = parts[i];
        return (parts[^1], qualifiers);
    }
}
