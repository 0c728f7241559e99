using System.Data;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Pipekit.Core.Drivers.Odbc.Native;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// The unmanaged memory that SQLBindParameter points the driver at. Drivers read bound buffers
/// during SQLExecute, not during SQLBindParameter, so the buffer must outlive the execution; it
/// is one allocation per execution, freed by <see cref="Dispose"/> after the parameters have been
/// unbound.
/// </summary>
internal sealed unsafe class OdbcParameterBuffer : IDisposable
{
    private byte* _memory;

    private OdbcParameterBuffer(byte* memory)
    {
        _memory = memory;
    }

    /// <summary>Binds every parameter of <paramref name="parameters"/> to <paramref name="statement"/> in order.</summary>
    public static OdbcParameterBuffer Bind(StatementHandle statement, IReadOnlyList<OdbcNativeParameter> parameters, OdbcNativeConnection connection)
    {
        var shapes = new Shape[parameters.Count];
        nuint total = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            try
            {
                shapes[i] = Describe(parameter.Value, parameter.HasExplicitDbType ? parameter.DbType : null);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException($"parameter {i + 1}: {e.Message}", e);
            }
            total += (nuint)sizeof(nint) + Align(shapes[i].BufferBytes);
        }

        var buffer = new OdbcParameterBuffer((byte*)NativeMemory.AllocZeroed(Math.Max(total, 1)));
        try
        {
            var cursor = buffer._memory;
            for (var i = 0; i < shapes.Length; i++)
            {
                var shape = shapes[i];
                var indicator = (nint*)cursor;
                var data = cursor + sizeof(nint);
                *indicator = shape.IsNull ? OdbcConst.NullData : shape.DataBytes;
                if (!shape.IsNull) Write(shape, data);
                var rc = OdbcApi.SQLBindParameter(statement, (ushort)(i + 1), OdbcConst.ParamInput, shape.CDataType, shape.SqlDataType,
                    shape.ColumnSize, shape.Digits, data, shape.BufferBytes, indicator);
                connection.Check(statement, rc);
                cursor = data + Align(shape.BufferBytes);
            }
            return buffer;
        }
        catch
        {
            OdbcApi.SQLFreeStmt(statement, OdbcConst.FreeStmtResetParams);
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why a non-null value cannot be sent as a parameter, or null when it can. The bulk writer checks
    /// each value as it reads it, so that the error names the row and column.
    /// </summary>
    public static string? Unsupported(object value) => value switch
    {
        string or char or char[] or bool or byte or sbyte or short or ushort or int or uint or long or ulong
            or float or double or decimal or DateTime or DateTimeOffset or DateOnly or TimeOnly or Guid or byte[] or Enum => null,
        TimeSpan span => span >= TimeSpan.Zero && span < TimeSpan.FromDays(1)
            ? null
            : $"the time {span} is outside 00:00:00–23:59:59; only a time of day can be sent as a TIME",
        _ => $"a {value.GetType().Name} value cannot be sent over ODBC; convert it to a string, number, date/time, bool, byte[] or Guid",
    };

    public void Dispose()
    {
        if (_memory is null) return;
        NativeMemory.Free(_memory);
        _memory = null;
    }

    private static nuint Align(int bytes) => (nuint)((Math.Max(bytes, 1) + 7) & ~7);

    private static Shape Describe(object? value, DbType? nullType)
    {
        switch (value)
        {
            case null or DBNull:
                return NullOf(nullType);
            case string s:
                return new Shape(CType.WChar, s.Length > 4000 ? SqlType.WLongVarChar : SqlType.WVarChar,
                    (nuint)Math.Max(s.Length, 1), 0, s.Length * sizeof(char), s.Length * sizeof(char) + sizeof(char), s);
            case char c:
                return Describe(c.ToString(), null);
            case char[] chars:
                return Describe(new string(chars), null);
            case bool b:
                return new Shape(CType.Bit, SqlType.Bit, 1, 0, 1, 1, b);
            case byte or sbyte or short:
                return new Shape(CType.SShort, SqlType.SmallInt, 5, 0, sizeof(short), sizeof(short), Convert.ToInt16(value, CultureInfo.InvariantCulture));
            case ushort or int:
                return new Shape(CType.SLong, SqlType.Integer, 10, 0, sizeof(int), sizeof(int), Convert.ToInt32(value, CultureInfo.InvariantCulture));
            case uint or long:
                return new Shape(CType.SBigInt, SqlType.BigInt, 19, 0, sizeof(long), sizeof(long), Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong u:
                return Describe((decimal)u, null);
            case float f:
                return new Shape(CType.Float, SqlType.Real, 7, 0, sizeof(float), sizeof(float), f);
            case double d:
                return new Shape(CType.Double, SqlType.Double, 15, 0, sizeof(double), sizeof(double), d);
            case decimal m:
                return DescribeDecimal(m);
            case DateTime dt:
                return DescribeTimestamp(dt);
            case DateTimeOffset dto:
                // ODBC has no portable time-zone type: the instant is sent as UTC wall-clock time
                return DescribeTimestamp(dto.UtcDateTime);
            case DateOnly date:
                return new Shape(CType.TypeDate, SqlType.TypeDate, 10, 0, sizeof(SqlDateStruct), sizeof(SqlDateStruct), SqlDateStruct.From(date));
            case TimeOnly time:
                return DescribeTime(time.ToTimeSpan());
            case TimeSpan span:
                return DescribeTime(span);
            case Guid guid:
                // as text: SQLite's and DB2's drivers have no SQL_C_GUID, and PostgreSQL casts the text to uuid
                return Describe(guid.ToString("D"), null);
            case byte[] bytes:
                return new Shape(CType.Binary, bytes.Length > 8000 ? SqlType.LongVarBinary : SqlType.VarBinary,
                    (nuint)Math.Max(bytes.Length, 1), 0, bytes.Length, bytes.Length, bytes);
            case Enum e:
                return Describe(Convert.ChangeType(e, e.GetTypeCode(), CultureInfo.InvariantCulture), null);
            default:
                throw new NotSupportedException(Unsupported(value));
        }
    }

    private static Shape NullOf(DbType? type) => type switch
    {
        DbType.Boolean => new Shape(CType.Bit, SqlType.Bit, 1, 0, 0, 0, null),
        DbType.Byte or DbType.SByte or DbType.Int16 => new Shape(CType.SShort, SqlType.SmallInt, 5, 0, 0, 0, null),
        DbType.UInt16 or DbType.Int32 => new Shape(CType.SLong, SqlType.Integer, 10, 0, 0, 0, null),
        DbType.UInt32 or DbType.Int64 => new Shape(CType.SBigInt, SqlType.BigInt, 19, 0, 0, 0, null),
        DbType.UInt64 or DbType.Decimal or DbType.Currency or DbType.VarNumeric => new Shape(CType.Char, SqlType.Decimal, 28, 0, 0, 0, null),
        DbType.Single => new Shape(CType.Float, SqlType.Real, 7, 0, 0, 0, null),
        DbType.Double => new Shape(CType.Double, SqlType.Double, 15, 0, 0, 0, null),
        DbType.Date => new Shape(CType.TypeDate, SqlType.TypeDate, 10, 0, 0, 0, null),
        DbType.Time => new Shape(CType.TypeTime, SqlType.TypeTime, 8, 0, 0, 0, null),
        DbType.DateTime or DbType.DateTime2 or DbType.DateTimeOffset => new Shape(CType.TypeTimestamp, SqlType.TypeTimestamp, 26, 6, 0, 0, null),
        DbType.Binary => new Shape(CType.Binary, SqlType.VarBinary, 1, 0, 0, 0, null),
        _ => new Shape(CType.WChar, SqlType.WVarChar, 1, 0, 0, 0, null),
    };

    private static Shape DescribeDecimal(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var digits = text.Count(char.IsAsciiDigit);
        int scale = value.Scale;
        var bytes = Encoding.ASCII.GetBytes(text);
        return new Shape(CType.Char, SqlType.Decimal, (nuint)Math.Max(digits, Math.Max(scale, 1)), (short)scale,
            bytes.Length, bytes.Length + 1, bytes);
    }

    /// <summary>
    /// Declares only as many fractional digits as the value has: some drivers reject a fraction
    /// finer than the declared precision (22008) and others round to it.
    /// </summary>
    private static Shape DescribeTimestamp(DateTime value)
    {
        var ticks = value.Ticks % TimeSpan.TicksPerSecond;
        short digits = ticks == 0 ? (short)0
            : ticks % TimeSpan.TicksPerMillisecond == 0 ? (short)3
            : ticks % 10 == 0 ? (short)6
            : (short)7;
        var size = (nuint)(digits == 0 ? 19 : 20 + digits);
        return new Shape(CType.TypeTimestamp, SqlType.TypeTimestamp, size, digits,
            sizeof(SqlTimestampStruct), sizeof(SqlTimestampStruct), SqlTimestampStruct.From(value));
    }

    private static Shape DescribeTime(TimeSpan value)
    {
        if (Unsupported(value) is { } reason) throw new NotSupportedException(reason);
        return new Shape(CType.TypeTime, SqlType.TypeTime, 8, 0, sizeof(SqlTimeStruct), sizeof(SqlTimeStruct), SqlTimeStruct.From(value));
    }

    private static void Write(in Shape shape, byte* data)
    {
        switch (shape.Payload)
        {
            case string s:
                fixed (char* source = s)
                    Buffer.MemoryCopy(source, data, shape.BufferBytes, s.Length * sizeof(char));
                break;
            case byte[] bytes:
                bytes.CopyTo(new Span<byte>(data, bytes.Length));
                break;
            case bool b:
                *data = b ? (byte)1 : (byte)0;
                break;
            case short v: *(short*)data = v; break;
            case int v: *(int*)data = v; break;
            case long v: *(long*)data = v; break;
            case float v: *(float*)data = v; break;
            case double v: *(double*)data = v; break;
            case SqlDateStruct v: *(SqlDateStruct*)data = v; break;
            case SqlTimeStruct v: *(SqlTimeStruct*)data = v; break;
            case SqlTimestampStruct v: *(SqlTimestampStruct*)data = v; break;
            default:
                throw new InvalidOperationException($"no writer for {shape.Payload?.GetType().Name}");
        }
    }

    private readonly record struct Shape(short CDataType, short SqlDataType, nuint ColumnSize, short Digits, int DataBytes, int BufferBytes, object? Payload)
    {
        public bool IsNull => Payload is null;
    }
}
