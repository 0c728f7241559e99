using System.Data.Common;
using Pipekit.Core.Drivers.Db2i;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// The <c>odbc</c> driver: any database with a unixODBC driver, DB2 for i first among them. The
/// SQL it speaks is not the driver's to know, so the connection names a dialect (<c>db2i</c> by
/// default); the dialects come from the other engines' folders through the constructor. The URL
/// forms are described on <see cref="OdbcConnectionUrl"/>.
/// </summary>
internal sealed class OdbcDriver : IDriver
{
    private readonly Dictionary<string, ISqlDialect> _dialects = new(StringComparer.OrdinalIgnoreCase);

    public OdbcDriver(IEnumerable<ISqlDialect> dialects)
    {
        foreach (var dialect in dialects) _dialects[dialect.Name] = dialect;
        if (!_dialects.ContainsKey(Db2iDialect.DialectName))
            throw new ArgumentException($"the ODBC driver needs the default dialect '{Db2iDialect.DialectName}'", nameof(dialects));
    }

    public string Kind => "odbc";

    public IReadOnlyList<string> Schemes { get; } = [OdbcConnectionUrl.Scheme];

    public string BulkPath => "parameterised multi-row INSERT, in one transaction";

    /// <summary>Dialect names this driver can speak, for error messages and <c>pipekit drivers list</c>.</summary>
    public IReadOnlyCollection<string> DialectNames => _dialects.Keys;

    public ISqlDialect GetDialect(string? dialectName)
    {
        if (string.IsNullOrWhiteSpace(dialectName)) return _dialects[Db2iDialect.DialectName];
        return _dialects.TryGetValue(dialectName.Trim(), out var dialect)
            ? dialect
            : throw new DriverException(
                $"the odbc driver has no dialect '{dialectName}'; use one of {string.Join(", ", _dialects.Keys.Order(StringComparer.Ordinal))}");
    }

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        var dialect = GetDialect(connection.Dialect);
        var connectionString = OdbcConnectionUrl.ToConnectionString(connection.Url, connection.Username, connection.Password);
        var odbc = new OdbcNativeConnection(connectionString.ToString()) { Dialect = dialect };
        try
        {
            await odbc.OpenAsync(cancellationToken);
            return odbc;
        }
        catch (OdbcNativeException e)
        {
            await odbc.DisposeAsync();
            throw new DriverException($"cannot connect to '{connection.Name}': {e.Message}", e);
        }
        catch
        {
            await odbc.DisposeAsync();
            throw;
        }
    }

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target)
    {
        var odbc = connection as OdbcNativeConnection
            ?? throw new ArgumentException($"the odbc driver writes through its own connections, not {connection.GetType().Name}", nameof(connection));
        return new OdbcBulkWriter(odbc, target, odbc.Dialect ?? GetDialect(null));
    }
}
