using System.Globalization;
using System.Numerics;

namespace Pipekit.Core.Drivers;

/// <summary>
/// A decimal number held exactly, however many digits it has: an unscaled integer and a scale (digits after the
/// point). System.Decimal keeps 28–29 significant digits and rounds the rest away without an error, so a value that
/// may be wider (numeric(38,10), DECIMAL(38,10), HUGEINT) travels in this form, or as its exact text.
/// </summary>
internal readonly record struct ExactDecimal : IFormattable
{
    private static readonly BigInteger DecimalMax = new(decimal.MaxValue);

    private ExactDecimal(BigInteger unscaled, int scale)
    {
        // Trailing zeros after the point say nothing: 1.50 and 1.5 are one value, held as 15 × 10^-1.
        while (scale > 0 && !unscaled.IsZero && unscaled % 10 == 0)
        {
            unscaled /= 10;
            scale--;
        }
        Unscaled = unscaled;
        Scale = unscaled.IsZero ? 0 : scale;
    }

    /// <summary>The digits without the point: 12.34 is 1234.</summary>
    public BigInteger Unscaled { get; }

    /// <summary>How many of <see cref="Unscaled"/>'s digits follow the point (never negative, no trailing zeros).</summary>
    public int Scale { get; }

    /// <summary>The digits from the first non-zero one to the last non-zero one after the point (or to the units): 0.0012 has 2, 1200 has 4.</summary>
    public int SignificantDigits => Unscaled.IsZero ? 1 : BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>The digits before the point: 0 for a value below one.</summary>
    public int IntegerDigits => Math.Max(0, SignificantDigits - Scale);

    public bool IsInteger => Scale == 0;

    /// <summary>The value as the shape an error names: "38 significant digits, 10 after the point".</summary>
    public string Shape => $"{SignificantDigits} significant digits, {IntegerDigits} integer digits, {Scale} after the point";

    public static ExactDecimal FromBigInteger(BigInteger value) => new(value, 0);

    /// <summary>Any numeric source value, or text in plain or exponent notation (1.5, -0.25, 1E+20).</summary>
    public static ExactDecimal From(object value) => value switch
    {
        ExactDecimal exact => exact,
        BigInteger big => new ExactDecimal(big, 0),
        long or int or short or sbyte or byte or ushort or uint or ulong => new ExactDecimal(new BigInteger(Convert.ToDecimal(value, CultureInfo.InvariantCulture)), 0),
        decimal d => Parse(d.ToString(CultureInfo.InvariantCulture)),
        // A double's shortest round-trip text is the number it stands for; its binary tail is noise.
        double f when double.IsFinite(f) => Parse(f.ToString("R", CultureInfo.InvariantCulture)),
        float f when float.IsFinite(f) => Parse(f.ToString("R", CultureInfo.InvariantCulture)),
        bool b => new ExactDecimal(b ? BigInteger.One : BigInteger.Zero, 0),
        string s => Parse(s),
        _ => throw new FormatException(),
    };

    public static ExactDecimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException("not a decimal number");

    public static bool TryParse(string text, out ExactDecimal value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty) return false;
        var negative = s[0] == '-';
        if (s[0] is '-' or '+') s = s[1..];

        var exponent = 0;
        var e = s.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 10_000) return false;
            s = s[..e];
        }
        var point = s.IndexOf('.');
        var whole = point < 0 ? s : s[..point];
        var fraction = point < 0 ? [] : s[(point + 1)..];
        if (whole.IsEmpty && fraction.IsEmpty) return false;
        foreach (var c in whole) if (!char.IsAsciiDigit(c)) return false;
        foreach (var c in fraction) if (!char.IsAsciiDigit(c)) return false;

        var unscaled = BigInteger.Parse(string.Concat(whole, fraction) is { Length: > 0 } digits ? digits : "0", NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = fraction.Length - exponent;
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }
        value = new ExactDecimal(negative ? -unscaled : unscaled, scale);
        return true;
    }

    /// <summary>The value as a System.Decimal when that holds it exactly; false when it would be rounded.</summary>
    public bool TryToDecimal(out decimal value)
    {
        value = 0;
        var magnitude = BigInteger.Abs(Unscaled);
        if (Scale > 28 || magnitude > DecimalMax) return false;
        var bytes = new byte[12];
        magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        value = new decimal(BitConverter.ToInt32(bytes, 0), BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 8), Unscaled.Sign < 0, (byte)Scale);
        return true;
    }

    /// <summary>The value as a System.Decimal, or <see cref="ValuePrecisionException"/> naming its shape when that would round it.</summary>
    public decimal ToDecimal() => TryToDecimal(out var value)
        ? value
        : throw new ValuePrecisionException($"the value has {Shape}; System.Decimal carries at most 28 significant digits, so it would be rounded");

    /// <summary>Rounded to <paramref name="scale"/> digits after the point, half away from zero (as PostgreSQL and DuckDB round).</summary>
    public ExactDecimal Round(int scale)
    {
        if (Scale <= scale) return this;
        var divisor = BigInteger.Pow(10, Scale - scale);
        var quotient = BigInteger.DivRem(BigInteger.Abs(Unscaled), divisor, out var remainder);
        if (remainder * 2 >= divisor) quotient++;
        return new ExactDecimal(Unscaled.Sign < 0 ? -quotient : quotient, scale);
    }

    /// <summary>Plain notation, every digit: -12.3400000001, 0.0000000001, 100.</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture);
        if (Scale > 0)
        {
            digits = digits.PadLeft(Scale + 1, '0');
            digits = digits[..^Scale] + "." + digits[^Scale..];
        }
        return Unscaled.Sign < 0 ? "-" + digits : digits;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();
}
