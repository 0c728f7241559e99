using Pipekit.Core.Drivers.Db2i;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// The <c>odbc</c> driver: any database with a unixODBC driver, DB2 for i first among them. The
/// SQL it speaks is not the driver's to know, so the connection names a dialect (<c>db2i</c> by
/// default); the dialects come from the other engines' folders through the constructor. The URL
/// forms are described on <see cref="OdbcConnectionUrl"/>.
/// </summary>
internal sealed class OdbcDriver : EngineDriver<OdbcNativeConnection, ISqlDialect>
{
    private readonly Dictionary<string, ISqlDialect> _dialects;

    public OdbcDriver(IEnumerable<ISqlDialect> dialects)
        : this(dialects.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase))
    {
    }

    private OdbcDriver(Dictionary<string, ISqlDialect> dialects)
        : base(dialects.TryGetValue(Db2iDialect.DialectName, out var db2i)
            ? db2i
            : throw new ArgumentException($"the ODBC driver needs the default dialect '{Db2iDialect.DialectName}'", nameof(dialects)))
    {
        _dialects = dialects;
    }

    public override string Kind => "odbc";

    public override IReadOnlyList<string> Schemes { get; } = [OdbcConnectionUrl.Scheme];

    public override string BulkPath => "parameterised multi-row INSERT, in one transaction";

    /// <summary>Dialect names this driver can speak, for error messages and <c>pipekit drivers list</c>.</summary>
    protected override IReadOnlyList<string> DialectNames => [.. _dialects.Keys];

    public override ISqlDialect GetDialect(string? dialectName)
    {
        if (string.IsNullOrWhiteSpace(dialectName)) return Dialect;
        return _dialects.TryGetValue(dialectName.Trim(), out var dialect)
            ? dialect
            : throw new DriverException(
                $"the odbc driver has no dialect '{dialectName}'; use one of {string.Join(", ", _dialects.Keys.Order(StringComparer.Ordinal))}");
    }

    protected override OdbcNativeConnection CreateConnection(ResolvedConnection connection)
    {
        var dialect = GetDialect(connection.Dialect);
        var connectionString = OdbcConnectionUrl.ToConnectionString(connection.Url, connection.Username, connection.Password);
        return new OdbcNativeConnection(connectionString.ToString()) { Dialect = dialect };
    }

    protected override Exception? CannotOpen(ResolvedConnection connection, Exception error) =>
        error is OdbcNativeException ? new DriverException($"cannot connect to '{connection.Name}': {error.Message}", error) : null;

    protected override IBulkWriter CreateBulkWriter(OdbcNativeConnection connection, BulkWriteTarget target) =>
        new OdbcBulkWriter(connection, target, connection.Dialect ?? Dialect);

    protected override bool? IsTransientError(Exception exception) =>
        exception is OdbcNativeException odbc ? OdbcTransientErrors.IsTransient(odbc.Records.Select(r => r.SqlState).Prepend(odbc.SqlState)) : null;
}
