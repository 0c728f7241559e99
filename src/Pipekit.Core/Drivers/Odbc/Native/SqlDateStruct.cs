using System.Runtime.InteropServices;

namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>ODBC DATE_STRUCT (SQL_C_TYPE_DATE).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqlDateStruct
{
    public short Year;
    public ushort Month;
    public ushort Day;

    public static SqlDateStruct From(DateOnly date) =>
        new() { Year = (short)date.Year, Month = (ushort)date.Month, Day = (ushort)date.Day };

    public readonly DateTime ToDateTime() => new(Year, Month, Day, 0, 0, 0, DateTimeKind.Unspecified);
}
