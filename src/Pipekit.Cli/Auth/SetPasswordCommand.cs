using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Terminal;
using Pipekit.Core.Auth;
using Pipekit.Core.State;

namespace Pipekit.Cli.Auth;

/// <summary><c>pipekit set-password USER</c>: store the HTTP Basic credentials as a PBKDF2-SHA256 hash.</summary>
internal sealed class SetPasswordCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var user = new Argument<string>("username") { Description = "The user name for HTTP Basic auth" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of prompting" };
        var command = new Command("set-password", "Set the web UI / API user and password (stored as a PBKDF2 hash)") { user, stdin };
        runner.Bind(command, async (ctx, ct) =>
        {
            string password;
            if (ctx.Value(stdin))
            {
                password = (await ctx.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? throw new UsageException("--password-stdin given but standard input is empty");
            }
            else
            {
                password = await SecretPrompt.ReadAsync(ctx, "password: ", ct);
                var again = await SecretPrompt.ReadAsync(ctx, "again: ", ct);
                if (password != again) throw new UsageException("the two passwords differ; nothing was changed");
            }
            await (await ctx.GetAsync<StateStore>(ct)).EnsureReadyAsync(ct);
            try
            {
                await (await ctx.GetAsync<Credentials>(ct)).SetAsync(ctx.Value(user), password, ct);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
            }
            await ctx.Out.WriteLineAsync($"password set for user '{ctx.Value(user)}'");
            return ExitCodes.Success;
        });
        return command;
    }
}
