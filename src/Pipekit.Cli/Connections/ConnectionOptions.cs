using System.CommandLine;
using Pipekit.Core.Connections;

namespace Pipekit.Cli.Connections;

/// <summary>The options shared by <c>connections add</c> and <c>connections edit</c>.</summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "URI (postgres://user@host:5432/db, sqlite:///path.db, duckdb:///path.duckdb, mysql://, sqlserver://, odbc://DSN), a native connection string, or a $NAME secret reference holding either (then give --driver)" };
    public Option<string?> Driver { get; } = new("--driver") { Description = "Driver kind; inferred from the URI scheme when omitted (pipekit drivers list)" };
    public Option<string?> User { get; } = new("--user", "-u") { Description = "User name" };
    public Option<string?> Password { get; } = new("--password") { Description = "A $NAME secret reference (never a literal password), e.g. '$WAREHOUSE_PW'" };
    public Option<string?> Dialect { get; } = new("--dialect") { Description = "SQL dialect override, e.g. db2i for an ODBC connection to DB2 for i" };
    public Option<string?> Project { get; } = new("--project") { Description = "Secrets section used to resolve the password (default [global])" };
    public Option<string?> DefaultDest { get; } = new("--default-dest") { Description = "Connection the wizard proposes as destination when this one is the source" };
    public Option<string?> DefaultDestSchema { get; } = new("--default-dest-schema") { Description = "Schema the wizard proposes for destination tables" };
    public Option<string?> Notes { get; } = new("--notes") { Description = "Free text" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Url, Driver, User, Password, Dialect, Project, DefaultDest, DefaultDestSchema, Notes })
            command.Options.Add(option);
    }

    /// <summary>Applies the options that were given on top of <paramref name="record"/>; an empty string clears a field.</summary>
    public ConnectionRecord Apply(ConnectionRecord record, ParseResult parse, long? defaultDestId) => record with
    {
        Url = parse.GetValue(Url) ?? record.Url,
        Driver = parse.GetValue(Driver) ?? record.Driver,
        Username = Clear(parse.GetValue(User)) ?? record.Username,
        Password = parse.GetResult(Password) is null ? record.Password : Empty(parse.GetValue(Password)),
        Dialect = parse.GetResult(Dialect) is null ? record.Dialect : Empty(parse.GetValue(Dialect)),
        Project = parse.GetResult(Project) is null ? record.Project : Empty(parse.GetValue(Project)),
        DefaultDestConnectionId = parse.GetResult(DefaultDest) is null ? record.DefaultDestConnectionId : defaultDestId,
        DefaultDestSchema = parse.GetResult(DefaultDestSchema) is null ? record.DefaultDestSchema : Empty(parse.GetValue(DefaultDestSchema)),
        Notes = parse.GetResult(Notes) is null ? record.Notes : Empty(parse.GetValue(Notes)),
    };

    private static string? Clear(string? value) => value;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
