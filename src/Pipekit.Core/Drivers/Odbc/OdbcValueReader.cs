using System.Globalization;
using System.Runtime.InteropServices;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// Reads one column of the current row with SQLGetData into a .NET value, through a scratch buffer
/// in unmanaged memory that lives as long as the reader. Long text and binary values arrive in
/// chunks: the driver returns 01004 (truncated) until the last piece.
/// </summary>
internal sealed unsafe class OdbcValueReader : IDisposable
{
    // Even, so a UTF-16 chunk never ends in half a code unit.
    private const int BufferSize = 16 * 1024;
    private byte* _buffer = (byte*)NativeMemory.Alloc(BufferSize);

    public object Read(StatementHandle statement, OdbcColumn column, Func<string, string> redact)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        var number = (ushort)(column.Ordinal + 1);
        return column.Kind switch
        {
            OdbcValueKind.String => ReadString(statement, number, redact),
            OdbcValueKind.Binary => ReadBinary(statement, number, redact),
            OdbcValueKind.Decimal => ReadDecimal(statement, column, redact),
            OdbcValueKind.Boolean => ReadFixed(statement, number, CType.Bit, 1, redact) ? *_buffer != 0 : DBNull.Value,
            OdbcValueKind.Int16 => ReadFixed(statement, number, CType.SShort, sizeof(short), redact) ? *(short*)_buffer : DBNull.Value,
            OdbcValueKind.Int32 => ReadFixed(statement, number, CType.SLong, sizeof(int), redact) ? *(int*)_buffer : DBNull.Value,
            OdbcValueKind.Int64 => ReadFixed(statement, number, CType.SBigInt, sizeof(long), redact) ? *(long*)_buffer : DBNull.Value,
            OdbcValueKind.Single => ReadFixed(statement, number, CType.Float, sizeof(float), redact) ? *(float*)_buffer : DBNull.Value,
            OdbcValueKind.Double => ReadFixed(statement, number, CType.Double, sizeof(double), redact) ? *(double*)_buffer : DBNull.Value,
            OdbcValueKind.Date => ReadFixed(statement, number, CType.TypeDate, sizeof(SqlDateStruct), redact)
                ? ((SqlDateStruct*)_buffer)->ToDateTime() : DBNull.Value,
            OdbcValueKind.Time => ReadFixed(statement, number, CType.TypeTime, sizeof(SqlTimeStruct), redact)
                ? ((SqlTimeStruct*)_buffer)->ToTimeSpan() : DBNull.Value,
            OdbcValueKind.Timestamp => ReadFixed(statement, number, CType.TypeTimestamp, sizeof(SqlTimestampStruct), redact)
                ? ((SqlTimestampStruct*)_buffer)->ToDateTime() : DBNull.Value,
            OdbcValueKind.Guid => ReadFixed(statement, number, CType.Guid, 16, redact)
                ? new Guid(new ReadOnlySpan<byte>(_buffer, 16)) : DBNull.Value,
            _ => throw new InvalidOperationException($"no reader for {column.Kind}"),
        };
    }

    public void Dispose()
    {
        if (_buffer is null) return;
        NativeMemory.Free(_buffer);
        _buffer = null;
    }

    /// <summary>Fetches a fixed-size value into the buffer; false when it is NULL.</summary>
    private bool ReadFixed(StatementHandle statement, ushort number, short cType, int size, Func<string, string> redact)
    {
        new Span<byte>(_buffer, size).Clear();
        var rc = OdbcApi.SQLGetData(statement, number, cType, _buffer, size, out var indicator);
        ThrowOnError(statement, rc, redact);
        return indicator != OdbcConst.NullData && rc != OdbcConst.NoData;
    }

    private object ReadString(StatementHandle statement, ushort number, Func<string, string> redact)
    {
        // SQL_C_WCHAR is UTF-16 on unixODBC; pieces are joined as bytes and decoded once, so a
        // surrogate pair split across two chunks still decodes to its 4-byte character.
        List<byte>? pieces = null;
        const int usable = BufferSize - sizeof(char); // the driver keeps room for a NUL terminator
        while (true)
        {
            var rc = OdbcApi.SQLGetData(statement, number, CType.WChar, _buffer, BufferSize, out var indicator);
            if (rc == OdbcConst.NoData) break;
            ThrowOnError(statement, rc, redact);
            if (indicator == OdbcConst.NullData) return DBNull.Value;
            var truncated = indicator == OdbcConst.NoTotal || indicator > usable;
            var bytes = truncated ? usable : (int)indicator;
            if (!truncated && pieces is null)
                return new string((char*)_buffer, 0, bytes / sizeof(char));
            pieces ??= new List<byte>(usable * 2);
            pieces.AddRange(new ReadOnlySpan<byte>(_buffer, bytes));
            if (!truncated) break;
        }
        return pieces is null ? "" : new string(MemoryMarshal.Cast<byte, char>(pieces.ToArray()));
    }

    private object ReadBinary(StatementHandle statement, ushort number, Func<string, string> redact)
    {
        List<byte>? pieces = null;
        while (true)
        {
            var rc = OdbcApi.SQLGetData(statement, number, CType.Binary, _buffer, BufferSize, out var indicator);
            if (rc == OdbcConst.NoData) break;
            ThrowOnError(statement, rc, redact);
            if (indicator == OdbcConst.NullData) return DBNull.Value;
            var truncated = indicator == OdbcConst.NoTotal || indicator > BufferSize;
            var bytes = truncated ? BufferSize : (int)indicator;
            if (!truncated && pieces is null)
                return new ReadOnlySpan<byte>(_buffer, bytes).ToArray();
            pieces ??= new List<byte>(BufferSize * 2);
            pieces.AddRange(new ReadOnlySpan<byte>(_buffer, bytes));
            if (!truncated) break;
        }
        return pieces is null ? Array.Empty<byte>() : pieces.ToArray();
    }

    /// <summary>
    /// Decimals come as text and are parsed with the invariant culture: SQL_C_NUMERIC is patchily
    /// implemented and SQL_C_DOUBLE would lose digits of a DECIMAL(31,4).
    /// </summary>
    private object ReadDecimal(StatementHandle statement, OdbcColumn column, Func<string, string> redact)
    {
        var rc = OdbcApi.SQLGetData(statement, (ushort)(column.Ordinal + 1), CType.Char, _buffer, 256, out var indicator);
        if (rc == OdbcConst.NoData) return DBNull.Value;
        ThrowOnError(statement, rc, redact);
        if (indicator == OdbcConst.NullData) return DBNull.Value;
        var text = Marshal.PtrToStringAnsi((nint)_buffer, (int)Math.Min(indicator, 255)).Trim();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new OverflowException($"column \"{column.Name}\" holds {text}, which does not fit a .NET decimal; CAST it to a character type in the query to read it as text");
        throw new InvalidCastException($"column \"{column.Name}\": the driver returned '{text}' for a {column.TypeName} value, which is not a number");
    }

    private static void ThrowOnError(StatementHandle statement, short rc, Func<string, string> redact)
    {
        if (rc is not (OdbcConst.Success or OdbcConst.SuccessWithInfo or OdbcConst.NoData))
            throw OdbcNativeException.FromHandle(statement, rc, redact);
    }
}
