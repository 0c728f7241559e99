using System.Runtime.InteropServices;

namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>ODBC TIMESTAMP_STRUCT (SQL_C_TYPE_TIMESTAMP); <see cref="Fraction"/> is in nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqlTimestampStruct
{
    public short Year;
    public ushort Month;
    public ushort Day;
    public ushort Hour;
    public ushort Minute;
    public ushort Second;
    public uint Fraction;

    public static SqlTimestampStruct From(DateTime value) => new()
    {
        Year = (short)value.Year,
        Month = (ushort)value.Month,
        Day = (ushort)value.Day,
        Hour = (ushort)value.Hour,
        Minute = (ushort)value.Minute,
        Second = (ushort)value.Second,
        Fraction = (uint)(value.Ticks % TimeSpan.TicksPerSecond * 100),
    };

    public readonly DateTime ToDateTime() =>
        new DateTime(Year, Month, Day, Hour, Minute, Second, DateTimeKind.Unspecified).AddTicks(Fraction / 100);
}
