using System.Runtime.InteropServices;

namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>ODBC TIME_STRUCT (SQL_C_TYPE_TIME); it has no fractional seconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqlTimeStruct
{
    public ushort Hour;
    public ushort Minute;
    public ushort Second;

    public static SqlTimeStruct From(TimeSpan time) =>
        new() { Hour = (ushort)time.Hours, Minute = (ushort)time.Minutes, Second = (ushort)time.Seconds };

    public readonly TimeSpan ToTimeSpan() => new(Hour, Minute, Second);
}
