using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Server;

namespace Pipekit.Cli.Tests;

/// <summary>
/// The server as <c>pipekit serve</c> builds it, on a test server over the same PIPEKIT_HOME as a <see cref="PipekitProcess"/>,
/// so a test can read one state store through the CLI and through the API. No password is set, so no credentials are needed.
/// </summary>
internal sealed class ApiHost(string home) : WebApplicationFactory<ApiHost>
{
    protected override IHostBuilder CreateHostBuilder()
    {
        var pipekitHome = new PipekitHome(home);
        var config = new PipekitConfig { Scheduler = new SchedulerOptions { Enabled = false } };
        var environment = new PipekitEnvironment(pipekitHome, config, pipekitHome.DefaultSecretsPath);
        var secrets = SecretStore.LoadOrEmptyAsync(environment.SecretsPath, CancellationToken.None).GetAwaiter().GetResult();
        return PipekitServer.CreateHostBuilder(environment, secrets);
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseContentRoot(builder, AppContext.BaseDirectory);
}
