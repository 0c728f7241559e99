using System.Collections;
using System.Data.Common;
using System.Runtime.ExceptionServices;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// The source reader as MySqlBulkCopy sees it: each row converted by <see cref="MySqlValues"/> as it is read.
/// <para>
/// An exception thrown while MySqlBulkCopy streams LOAD DATA LOCAL breaks the connection, so nothing here
/// throws: a bad value, a source error or cancellation is recorded and the stream simply ends. The writer
/// then calls <see cref="ThrowIfFailed"/> and the transaction, still usable, rolls back.
/// </para>
/// </summary>
internal sealed class MySqlSourceReader(DbDataReader inner, IReadOnlyList<string> columns, bool[] wallClock, CancellationToken cancellationToken)
    : DbDataReader
{
    private readonly object[] _row = new object[inner.FieldCount];
    private ExceptionDispatchInfo? _failure;

    /// <summary>Rows read and converted so far.</summary>
    public long RowsRead { get; private set; }

    public void ThrowIfFailed() => _failure?.Throw();

    public override async Task<bool> ReadAsync(CancellationToken ignored)
    {
        if (_failure is not null) return false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await inner.ReadAsync(cancellationToken)) return false;
            ConvertRow();
            return true;
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            return false;
        }
    }

    public override bool Read()
    {
        if (_failure is not null) return false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!inner.Read()) return false;
            ConvertRow();
            return true;
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            return false;
        }
    }

    private void ConvertRow()
    {
        var rowNumber = RowsRead + 1;
        for (var i = 0; i < _row.Length; i++)
        {
            var value = inner.GetValue(i);
            if (!MySqlValues.TryConvert(value, wallClock[i], out _row[i]))
                throw new DriverException(
                    $"row {rowNumber}, column '{columns[i]}': a {value.GetType().Name} value cannot be written to MySQL; cast it to a plain type in the source query");
        }
        RowsRead = rowNumber;
    }

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, _row.Length);
        Array.Copy(_row, values, n);
        return n;
    }

    public override object GetValue(int ordinal) => _row[ordinal];
    public override bool IsDBNull(int ordinal) => _row[ordinal] is DBNull;
    public override int FieldCount => _row.Length;
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override string GetName(int ordinal) => inner.GetName(ordinal);
    public override int GetOrdinal(string name) => inner.GetOrdinal(name);
    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
    public override Type GetFieldType(int ordinal) => _row[ordinal] is DBNull ? inner.GetFieldType(ordinal) : _row[ordinal].GetType();
    public override int Depth => 0;
    public override bool HasRows => inner.HasRows;
    public override bool IsClosed => inner.IsClosed;
    public override int RecordsAffected => -1;
    public override bool NextResult() => false;
    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    // Typed getters over the converted row, for completeness; MySqlBulkCopy reads through GetValues.
    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(_row[ordinal]);
    public override byte GetByte(int ordinal) => Convert.ToByte(_row[ordinal]);
    public override char GetChar(int ordinal) => Convert.ToChar(_row[ordinal]);
    public override DateTime GetDateTime(int ordinal) => Convert.ToDateTime(_row[ordinal]);
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(_row[ordinal]);
    public override double GetDouble(int ordinal) => Convert.ToDouble(_row[ordinal]);
    public override float GetFloat(int ordinal) => Convert.ToSingle(_row[ordinal]);
    public override Guid GetGuid(int ordinal) => Guid.Parse((string)_row[ordinal]);
    public override short GetInt16(int ordinal) => Convert.ToInt16(_row[ordinal]);
    public override int GetInt32(int ordinal) => Convert.ToInt32(_row[ordinal]);
    public override long GetInt64(int ordinal) => Convert.ToInt64(_row[ordinal]);
    public override string GetString(int ordinal) => (string)_row[ordinal];

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])_row[ordinal];
        if (buffer is null) return bytes.Length;
        var n = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = (string)_row[ordinal];
        if (buffer is null) return text.Length;
        var n = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, n);
        return n;
    }
}
