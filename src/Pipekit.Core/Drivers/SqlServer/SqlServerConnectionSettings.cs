using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;

namespace Pipekit.Core.Drivers.SqlServer;

/// <summary>
/// Turns a <c>sqlserver://</c> / <c>mssql://</c> URI or a native SqlClient string into connection settings.
/// URI query options are SqlClient keywords with '_' for spaces (<c>encrypt=false</c>,
/// <c>trust_server_certificate=true</c>); <c>instance=NAME</c> names a named instance. The resolved user
/// name and password win over those in the text.
/// </summary>
internal static partial class SqlServerConnectionSettings
{
    public static IReadOnlyList<string> Schemes { get; } = ["sqlserver", "mssql"];

    public static SqlConnectionStringBuilder Build(ResolvedConnection connection)
    {
        SqlConnectionStringBuilder builder;
        if (ServerUri.HasScheme(connection.Url, Schemes))
        {
            builder = new SqlConnectionStringBuilder();
            ApplyUri(builder, ServerUri.Parse(connection.Url), connection);
        }
        else
        {
            builder = ParseNative(connection);
        }

        if (!string.IsNullOrEmpty(connection.Username)) builder.UserID = connection.Username;
        if (connection.Password is not null) builder.Password = connection.Password;
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new DriverException($"connection '{connection.Name}' names no SQL Server; write it as sqlserver://user@host:1433/database");
        return builder;
    }

    /// <summary>Where a connection goes, without secrets: <c>server/database</c>.</summary>
    public static string Describe(SqlConnectionStringBuilder builder) =>
        builder.DataSource + (string.IsNullOrEmpty(builder.InitialCatalog) ? "" : "/" + builder.InitialCatalog);

    private static void ApplyUri(SqlConnectionStringBuilder builder, ServerUri uri, ResolvedConnection connection)
    {
        var instance = uri.Options.LastOrDefault(o => o.Key.Equals("instance", StringComparison.OrdinalIgnoreCase)).Value;
        // SqlClient's data source is host[\instance][,port]; a port, when given, is used directly
        builder.DataSource = uri.Host + (string.IsNullOrEmpty(instance) ? "" : "\\" + instance) + (uri.Port is { } port ? $",{port}" : "");
        if (uri.Database is not null) builder.InitialCatalog = uri.Database;
        if (uri.User is not null) builder.UserID = uri.User;
        if (uri.Password is not null) builder.Password = uri.Password;
        foreach (var (key, value) in uri.Options)
        {
            if (key.Equals("instance", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                builder[key.Replace('_', ' ')] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                var why = MessageScrubber.Scrub(e.Message, connection.Password, uri.Password);
                throw new DriverException($"connection '{connection.Name}': option '{key}' is not a valid SqlClient option ({why})");
            }
        }
    }

    private static SqlConnectionStringBuilder ParseNative(ResolvedConnection connection)
    {
        try
        {
            return new SqlConnectionStringBuilder(connection.Url);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var why = MessageScrubber.Scrub(e.Message, connection.Password, PasswordIn(connection.Url));
            throw new DriverException(
                $"connection '{connection.Name}' is neither a sqlserver:// URI nor a valid SqlClient connection string ({why})");
        }
    }

    /// <summary>The password in a native string, found without the parser, so a parse error can be scrubbed of it.</summary>
    private static string? PasswordIn(string text) =>
        PasswordPattern().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd)\s*=([^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();
}
