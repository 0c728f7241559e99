namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// <c>duckdb:///abs/path.duckdb</c> (optionally <c>?access_mode=read_only</c>) or <c>duckdb::memory:</c> → a DuckDB.NET
/// connection string; a native <c>Data Source=…</c> string passes through.
/// </summary>
internal static class DuckDbConnectionString
{
    public static string Build(ResolvedConnection connection)
    {
        var url = connection.Url.Trim();
        if (!url.StartsWith("duckdb:", StringComparison.OrdinalIgnoreCase))
        {
            return url.Contains('=', StringComparison.Ordinal)
                ? url
                : throw ConnectionErrors.BadConnectionString(connection, "expected duckdb:///absolute/path.duckdb, duckdb::memory: or 'Data Source=…'");
        }
        var rest = url["duckdb:".Length..];
        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }

        string path;
        if (rest is ":memory:" or "//:memory:") path = ":memory:";
        else if (rest.StartsWith("///", StringComparison.Ordinal)) path = Uri.UnescapeDataString(rest[2..]);
        else throw ConnectionErrors.BadConnectionString(connection, $"'{url}' is not duckdb:///absolute/path.duckdb or duckdb::memory:");

        var parts = new List<string> { $"Data Source={path}" };
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw ConnectionErrors.BadConnectionString(connection, $"option '{pair}' needs a value");
            parts.Add($"{Uri.UnescapeDataString(pair[..eq])}={Uri.UnescapeDataString(pair[(eq + 1)..])}");
        }
        return string.Join(';', parts);
    }
}
