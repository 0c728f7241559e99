namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// Turns a connection's URL into the ODBC connection string handed to SQLDriverConnect.
/// <list type="bullet">
/// <item><c>odbc://NAME</c> — the data source NAME from odbc.ini: <c>DSN=NAME</c> (NAME may be percent-encoded).</item>
/// <item><c>odbc://NAME?k=v;k=v</c> — the same DSN plus native ODBC attributes (everything after <c>?</c> is taken verbatim).</item>
/// <item><c>odbc://?k=v;k=v</c> or <c>odbc:k=v;k=v</c> — a native ODBC connection string, e.g.
/// <c>odbc:Driver={PostgreSQL Unicode};Server=db;Database=sales</c> or
/// <c>odbc://?Driver=/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so;Database=/data/x.db</c>.</item>
/// <item>Anything that does not start with <c>odbc:</c> — a native ODBC connection string (the connection names driver <c>odbc</c>).</item>
/// </list>
/// The connection's user name and password, when set, replace any UID/PWD in the string and are
/// appended as <c>UID=</c>/<c>PWD=</c>, brace-quoted when they contain <c>;</c>, <c>{</c> or <c>}</c>.
/// </summary>
internal static class OdbcConnectionUrl
{
    public const string Scheme = "odbc";

    public static OdbcConnectionString ToConnectionString(string url, string? username, string? password)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        string native;
        if (text.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[(Scheme.Length + 3)..];
            var question = rest.IndexOf('?');
            var dsn = Uri.UnescapeDataString(question < 0 ? rest : rest[..question]).Trim();
            var attributes = question < 0 ? "" : rest[(question + 1)..];
            // not echoed: a URL written as odbc://user:password@host/db would show its password
            if (dsn.Contains('@'))
                throw new DriverException("odbc:// URLs take a DSN name, not user@host; give the user name and password on the connection, not in the URL");
            if (dsn.Contains('/'))
                throw new DriverException("odbc:// URLs take a DSN name without '/'; write odbc://DSN_NAME, or odbc:Driver=...;key=value for a native ODBC connection string");
            native = dsn.Length == 0
                ? attributes
                : "DSN=" + OdbcConnectionString.QuoteValue(dsn) + (attributes.Length > 0 ? ";" + attributes : "");
        }
        else if (text.StartsWith(Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            native = text[(Scheme.Length + 1)..];
        }
        else
        {
            native = text;
        }

        OdbcConnectionString parsed;
        try
        {
            parsed = OdbcConnectionString.Parse(native);
        }
        catch (FormatException e)
        {
            throw new DriverException($"{e.Message} (ODBC URLs are odbc://DSN_NAME or odbc:Driver=...;key=value)", e);
        }
        if (parsed.IsEmpty)
            throw new DriverException("the ODBC connection names no data source; write odbc://DSN_NAME or odbc:Driver=...;key=value");
        if (parsed.Get("DSN") is null && parsed.Get("Driver") is null && parsed.Get("FILEDSN") is null)
            throw new DriverException("the ODBC connection string has neither DSN= nor Driver=; unixODBC needs one of them to find the driver");
        if (!string.IsNullOrEmpty(username)) parsed.SetUser(username);
        if (!string.IsNullOrEmpty(password)) parsed.SetPassword(password);
        return parsed;
    }
}
