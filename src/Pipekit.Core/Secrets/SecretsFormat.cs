namespace Pipekit.Core.Secrets;

// The two layouts a secrets file may have.
internal enum SecretsFormat
{
    // Pit's TOML: [global] plus one section per project.
    Toml,

    // KEY=VALUE lines as read by systemd's EnvironmentFile=; everything is [global].
    Env,
}
