using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// <c>sqlite:///abs/path.db</c> (optionally <c>?mode=ro</c>) or <c>sqlite::memory:</c> → a Microsoft.Data.Sqlite
/// connection string; a native <c>Data Source=…</c> string passes through.
/// </summary>
internal static class SqliteConnectionString
{
    public static string Build(ResolvedConnection connection)
    {
        var url = connection.Url.Trim();
        try
        {
            if (!url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                return url.Contains('=', StringComparison.Ordinal)
                    ? new SqliteConnectionStringBuilder(url).ConnectionString
                    : throw ConnectionErrors.BadConnectionString(connection, "expected sqlite:///absolute/path.db, sqlite::memory: or 'Data Source=…'");
            }
            var rest = url["sqlite:".Length..];
            var query = "";
            var q = rest.IndexOf('?');
            if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }

            var builder = new SqliteConnectionStringBuilder();
            if (rest is ":memory:" or "//:memory:") builder.DataSource = ":memory:";
            else if (rest.StartsWith("///", StringComparison.Ordinal)) builder.DataSource = Uri.UnescapeDataString(rest[2..]);
            else throw ConnectionErrors.BadConnectionString(connection, $"'{url}' is not sqlite:///absolute/path.db or sqlite::memory:");

            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
                var value = Uri.UnescapeDataString(eq >= 0 ? pair[(eq + 1)..] : "");
                if (key.Equals("mode", StringComparison.OrdinalIgnoreCase))
                {
                    builder.Mode = value.ToLowerInvariant() switch
                    {
                        "ro" => SqliteOpenMode.ReadOnly,
                        "rw" => SqliteOpenMode.ReadWrite,
                        "rwc" => SqliteOpenMode.ReadWriteCreate,
                        "memory" => SqliteOpenMode.Memory,
                        _ => throw new ArgumentException($"unknown mode '{value}' (ro, rw, rwc, memory)"),
                    };
                }
                else builder[key] = value;
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw ConnectionErrors.BadConnectionString(connection, ex.Message);
        }
    }
}
