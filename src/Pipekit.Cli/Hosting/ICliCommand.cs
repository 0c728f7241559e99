using System.CommandLine;

namespace Pipekit.Cli.Hosting;

/// <summary>A top-level <c>pipekit</c> command: it builds its System.CommandLine tree, actions run through <see cref="CommandRunner"/>.</summary>
internal interface ICliCommand
{
    Command Build(CommandRunner runner);
}
