namespace Pipekit.Core.Drivers.Odbc.Native;

/// <summary>ODBC C data type codes (the shape of an application buffer).</summary>
internal static class CType
{
    public const short Char = 1;
    public const short WChar = -8;
    public const short SShort = -15;
    public const short SLong = -16;
    public const short SBigInt = -25;
    public const short STinyInt = -26;
    public const short Float = 7;
    public const short Double = 8;
    public const short Bit = -7;
    public const short Binary = -2;
    public const short TypeDate = 91;
    public const short TypeTime = 92;
    public const short TypeTimestamp = 93;
    public const short Guid = -11;
}
