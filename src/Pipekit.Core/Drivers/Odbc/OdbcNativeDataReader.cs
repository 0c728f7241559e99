using System.Collections;
using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// Streams the rows of an ODBC statement. Values are fetched lazily and cached per row, in column
/// order: many drivers only allow SQLGetData on increasing column numbers and only once per
/// column, so asking for column 5 fetches columns up to 5 and keeps them.
/// </summary>
internal sealed class OdbcNativeDataReader : DbDataReader, IDbColumnSchemaGenerator
{
    private readonly OdbcNativeConnection _connection;
    private readonly StatementHandle _statement;
    private readonly bool _ownsStatement;
    private readonly CommandBehavior _behavior;
    private readonly OdbcValueReader _values = new();
    private OdbcColumn[] _columns = [];
    private object[] _row = [];
    private int _loaded;
    private bool _onRow;
    private bool _prefetched;
    private bool _hasRows;
    private bool _exhausted;
    private bool _closed;
    private long _recordsAffected = -1;
    private long _fetchedRows;

    internal OdbcNativeDataReader(OdbcNativeConnection connection, StatementHandle statement, bool ownsStatement, CommandBehavior behavior)
    {
        _connection = connection;
        _statement = statement;
        _ownsStatement = ownsStatement;
        _behavior = behavior;
        _connection.ReaderOpened(this);
        try
        {
            // Statements before the first SELECT (INSERT …; SELECT …) only count rows; skip to the first result set.
            while (!LoadResult())
            {
                if (!MoveToNextResult())
                {
                    _exhausted = true;
                    break;
                }
            }
        }
        catch
        {
            Close();
            throw;
        }
    }

    public override int FieldCount => _columns.Length;

    public override int VisibleFieldCount => _columns.Length;

    public override int RecordsAffected => (int)Math.Clamp(_recordsAffected, -1, int.MaxValue);

    public override bool IsClosed => _closed;

    public override int Depth => 0;

    public override bool HasRows
    {
        get
        {
            ThrowIfClosed();
            if (_hasRows || _exhausted || _columns.Length == 0) return _hasRows;
            if (!_onRow && !_prefetched) _prefetched = Fetch();
            return _hasRows;
        }
    }

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => Read(CancellationToken.None);

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<bool>(cancellationToken);
        try
        {
            return Task.FromResult(Read(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<bool>(e);
        }
    }

    public override bool NextResult()
    {
        ThrowIfClosed();
        if (_exhausted || _behavior.HasFlag(CommandBehavior.SingleResult))
        {
            _exhausted = true;
            _columns = [];
            return false;
        }
        _onRow = false;
        _prefetched = false;
        _hasRows = false;
        while (MoveToNextResult())
        {
            if (LoadResult()) return true;
        }
        _exhausted = true;
        _columns = [];
        return false;
    }

    public override string GetName(int ordinal) => Column(ordinal).Name;

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _columns.Length; i++)
            if (string.Equals(_columns[i].Name, name, StringComparison.Ordinal)) return i;
        for (var i = 0; i < _columns.Length; i++)
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new IndexOutOfRangeException($"the result has no column named '{name}'");
    }

    public override Type GetFieldType(int ordinal) => Column(ordinal).FieldType;

    public override string GetDataTypeName(int ordinal) => Column(ordinal).TypeName;

    public override object GetValue(int ordinal)
    {
        ThrowIfClosed();
        if (!_onRow) throw new InvalidOperationException("no current row; call Read first");
        var column = Column(ordinal);
        if (ordinal < _loaded) return _row[ordinal];
        while (_loaded <= ordinal)
        {
            _row[_loaded] = _values.Read(_statement, _columns[_loaded], _connection.Redact);
            _loaded++;
        }
        return _row[column.Ordinal];
    }

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, _columns.Length);
        for (var i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }

    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;

    public override T GetFieldValue<T>(int ordinal) => OdbcValueConversion.To<T>(GetValue(ordinal), Column(ordinal).Name);

    public override bool GetBoolean(int ordinal) => GetFieldValue<bool>(ordinal);

    public override byte GetByte(int ordinal) => GetFieldValue<byte>(ordinal);

    public override char GetChar(int ordinal) => GetFieldValue<char>(ordinal);

    public override short GetInt16(int ordinal) => GetFieldValue<short>(ordinal);

    public override int GetInt32(int ordinal) => GetFieldValue<int>(ordinal);

    public override long GetInt64(int ordinal) => GetFieldValue<long>(ordinal);

    public override float GetFloat(int ordinal) => GetFieldValue<float>(ordinal);

    public override double GetDouble(int ordinal) => GetFieldValue<double>(ordinal);

    public override decimal GetDecimal(int ordinal) => GetFieldValue<decimal>(ordinal);

    public override DateTime GetDateTime(int ordinal) => GetFieldValue<DateTime>(ordinal);

    public override Guid GetGuid(int ordinal) => GetFieldValue<Guid>(ordinal);

    public override string GetString(int ordinal) => GetFieldValue<string>(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetFieldValue<byte[]>(ordinal);
        if (buffer is null) return bytes.Length;
        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        if (count > 0) Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetFieldValue<string>(ordinal);
        if (buffer is null) return text.Length;
        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        if (count > 0) text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public ReadOnlyCollection<DbColumn> GetColumnSchema() =>
        _columns.Select(c => (DbColumn)new OdbcNativeDbColumn(c)).ToList().AsReadOnly();

    public override void Close()
    {
        if (_closed) return;
        _closed = true;
        _onRow = false;
        try
        {
            OdbcNativeCommand.Finish(_statement, _ownsStatement);
        }
        finally
        {
            _values.Dispose();
            _connection.ReaderClosed(this);
            if (_behavior.HasFlag(CommandBehavior.CloseConnection)) _connection.Close();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    /// <summary>SQLFetch with SQLCancel wired to the token.</summary>
    internal bool Read(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (_prefetched)
        {
            _prefetched = false;
            _onRow = true;
            return true;
        }
        if (_exhausted || _columns.Length == 0 || (_behavior.HasFlag(CommandBehavior.SingleRow) && _fetchedRows > 0))
        {
            _onRow = false;
            return false;
        }
        using (cancellationToken.Register(static s => ((StatementHandle)s!).Cancel(), _statement))
        {
            try
            {
                _onRow = Fetch();
            }
            catch (OdbcNativeException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"reading was cancelled ({e.Message})", e, cancellationToken);
            }
        }
        return _onRow;
    }

    /// <summary>SQLFetch: true on a new row, false at the end of the result.</summary>
    private bool Fetch()
    {
        var rc = OdbcApi.SQLFetch(_statement);
        _loaded = 0;
        if (rc == OdbcConst.NoData) return false;
        _connection.Check(_statement, rc);
        _hasRows = true;
        _fetchedRows++;
        return true;
    }

    /// <summary>Reads the shape of the current result; false when it has no columns (a row count).</summary>
    private unsafe bool LoadResult()
    {
        _connection.Check(_statement, OdbcApi.SQLNumResultCols(_statement, out var count));
        if (count == 0)
        {
            _connection.Check(_statement, OdbcApi.SQLRowCount(_statement, out var affected));
            if (affected >= 0) _recordsAffected = Math.Max(_recordsAffected, 0) + affected;
            _columns = [];
            return false;
        }
        var columns = new OdbcColumn[count];
        var name = stackalloc char[512];
        var typeName = stackalloc char[256];
        for (ushort i = 1; i <= count; i++)
        {
            _connection.Check(_statement, OdbcApi.SQLDescribeColW(_statement, i, name, 512, out var nameLength,
                out var sqlType, out var size, out var digits, out var nullable));
            var typeText = "";
            var rc = OdbcApi.SQLColAttributeW(_statement, i, OdbcConst.DescTypeName, typeName, 256 * sizeof(char), out var typeBytes, out _);
            if (rc is OdbcConst.Success or OdbcConst.SuccessWithInfo)
                typeText = new string(typeName, 0, Math.Clamp(typeBytes / sizeof(char), 0, 255));
            columns[i - 1] = new OdbcColumn(
                i - 1,
                new string(name, 0, Math.Clamp((int)nameLength, 0, 511)),
                sqlType,
                (long)size,
                digits,
                nullable switch { OdbcConst.NoNulls => false, 1 => true, _ => null },
                typeText.Length > 0 ? typeText : OdbcColumn.OdbcTypeName(sqlType));
        }
        _columns = columns;
        _row = new object[count];
        _loaded = 0;
        _fetchedRows = 0;
        return true;
    }

    private bool MoveToNextResult()
    {
        var rc = OdbcApi.SQLMoreResults(_statement);
        if (rc == OdbcConst.NoData) return false;
        _connection.Check(_statement, rc);
        return true;
    }

    private OdbcColumn Column(int ordinal)
    {
        ThrowIfClosed();
        return (uint)ordinal < (uint)_columns.Length
            ? _columns[ordinal]
            : throw new IndexOutOfRangeException($"column {ordinal} is out of range; the result has {_columns.Length} columns");
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new InvalidOperationException("the data reader is closed");
    }
}
