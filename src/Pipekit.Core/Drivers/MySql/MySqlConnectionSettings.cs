using System.Text.RegularExpressions;
using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// Turns a <c>mysql://</c> / <c>mariadb://</c> URI or a native MySqlConnector string into connection settings.
/// URI query options are MySqlConnector options with '_' for spaces (<c>ssl_mode=Required</c>,
/// <c>connection_timeout=5</c>); the resolved user name and password win over those in the text.
/// </summary>
internal static partial class MySqlConnectionSettings
{
    public const int DefaultPort = 3306;

    public static IReadOnlyList<string> Schemes { get; } = ["mysql", "mariadb"];

    public static MySqlConnectionStringBuilder Build(ResolvedConnection connection)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            // MySqlBulkCopy is LOAD DATA LOCAL, which the client must allow as well as the server.
            AllowLoadLocalInfile = true,
            // Pipekit maps CHAR(36) to text; MySqlConnector's default reads every CHAR(36) column as a Guid
            // and fails on one that holds anything else.
            GuidFormat = MySqlGuidFormat.None,
        };

        if (ServerUri.HasScheme(connection.Url, Schemes))
            ApplyUri(builder, ServerUri.Parse(connection.Url), connection);
        else
            ApplyNative(builder, connection);

        if (!string.IsNullOrEmpty(connection.Username)) builder.UserID = connection.Username;
        if (connection.Password is not null) builder.Password = connection.Password;
        if (string.IsNullOrWhiteSpace(builder.Server))
            throw new DriverException($"connection '{connection.Name}' names no MySQL server; write it as mysql://user@host:3306/database");
        return builder;
    }

    /// <summary>Where a connection goes, without secrets: <c>host:port/database</c>.</summary>
    public static string Describe(MySqlConnectionStringBuilder builder) =>
        $"{builder.Server}:{builder.Port}" + (string.IsNullOrEmpty(builder.Database) ? "" : "/" + builder.Database);

    private static void ApplyUri(MySqlConnectionStringBuilder builder, ServerUri uri, ResolvedConnection connection)
    {
        builder.Server = uri.Host;
        builder.Port = (uint)(uri.Port ?? DefaultPort);
        if (uri.Database is not null) builder.Database = uri.Database;
        if (uri.User is not null) builder.UserID = uri.User;
        if (uri.Password is not null) builder.Password = uri.Password;
        foreach (var (key, value) in uri.Options)
        {
            try
            {
                builder[key.Replace('_', ' ')] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                var why = MessageScrubber.Scrub(e.Message, connection.Password, uri.Password);
                throw new DriverException($"connection '{connection.Name}': option '{key}' is not a valid MySqlConnector option ({why})");
            }
        }
    }

    private static void ApplyNative(MySqlConnectionStringBuilder builder, ResolvedConnection connection)
    {
        MySqlConnectionStringBuilder given;
        try
        {
            given = new MySqlConnectionStringBuilder(connection.Url);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var why = MessageScrubber.Scrub(e.Message, connection.Password, PasswordIn(connection.Url));
            throw new DriverException(
                $"connection '{connection.Name}' is neither a mysql:// URI nor a valid MySqlConnector connection string ({why})");
        }

        // Only the keys the user wrote are copied, so Pipekit's defaults stay unless overridden.
        foreach (string key in given.Keys)
            builder[key] = given[key];
    }

    /// <summary>The password in a native string, found without the parser, so a parse error can be scrubbed of it.</summary>
    private static string? PasswordIn(string text) =>
        PasswordPattern().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd)\s*=([^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();
}
