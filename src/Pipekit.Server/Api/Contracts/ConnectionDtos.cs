using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;

namespace Pipekit.Server.Api.Contracts;

/// <summary>A connection as the API shows it. <c>password</c> is the <c>$NAME</c> secret reference, never a value.</summary>
internal sealed record ConnectionDto(long Id, string Name, string Driver, string Url, string? Username, string? Password, string? Dialect,
    string? Project, long? DefaultDestConnectionId, string? DefaultDestSchema, string? Notes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConnectionDto From(ConnectionRecord c) => new(c.Id, c.Name, c.Driver, c.Url, c.Username, c.Password, c.Dialect, c.Project,
        c.DefaultDestConnectionId, c.DefaultDestSchema, c.Notes, c.CreatedAt, c.UpdatedAt);
}

/// <summary>
/// Body of create and update. On update, a field left out (or null) keeps its value; an empty string clears an
/// optional text field and 0 clears <c>default_dest_connection_id</c>.
/// </summary>
internal sealed record ConnectionInput(string? Name, string? Driver, string? Url, string? Username, string? Password, string? Dialect,
    string? Project, long? DefaultDestConnectionId, string? DefaultDestSchema, string? Notes)
{
    public ConnectionRecord ToRecord(ConnectionRecord? current) => new()
    {
        Id = current?.Id ?? 0,
        Name = Name ?? current?.Name ?? "",
        Driver = Driver ?? current?.Driver ?? "",
        Url = Url ?? current?.Url ?? "",
        Username = Optional(Username, current?.Username),
        Password = Optional(Password, current?.Password),
        Dialect = Optional(Dialect, current?.Dialect),
        Project = Optional(Project, current?.Project),
        DefaultDestConnectionId = DefaultDestConnectionId is 0 ? null : DefaultDestConnectionId ?? current?.DefaultDestConnectionId,
        DefaultDestSchema = Optional(DefaultDestSchema, current?.DefaultDestSchema),
        Notes = Optional(Notes, current?.Notes),
    };

    private static string? Optional(string? given, string? current) => given is null ? current : given.Length == 0 ? null : given;
}

internal sealed record ConnectionTestDto(bool Ok, long ElapsedMs, string? ServerVersion, string? Error)
{
    public static ConnectionTestDto From(ConnectionTestResult r) => new(r.Ok, (long)r.Elapsed.TotalMilliseconds, r.ServerVersion, r.Error);
}
