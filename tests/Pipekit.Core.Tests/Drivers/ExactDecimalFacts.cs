using System.Numerics;
using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class ExactDecimalFacts
{
    [Theory]
    [InlineData("9999999999999999999999999999.9999999999", "9999999999999999999999999999.9999999999", 38, 28, 10)]
    [InlineData("-0.0000000001", "-0.0000000001", 1, 0, 10)]
    [InlineData("1.500", "1.5", 2, 1, 1)]
    [InlineData("+12E3", "12000", 5, 5, 0)]
    [InlineData("1.25e-3", "0.00125", 3, 0, 5)]
    [InlineData("-0.000", "0", 1, 1, 0)]
    [InlineData(" 42 ", "42", 2, 2, 0)]
    public void Text_parses_to_every_digit_and_prints_back(string text, string printed, int significant, int integer, int scale)
    {
        var value = ExactDecimal.Parse(text);

        Assert.Equal(printed, value.ToString());
        Assert.Equal(significant, value.SignificantDigits);
        Assert.Equal(integer, value.IntegerDigits);
        Assert.Equal(scale, value.Scale);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData(".")]
    public void Text_that_is_not_a_number_is_refused(string text) => Assert.False(ExactDecimal.TryParse(text, out _));

    [Fact]
    public void A_value_that_fits_a_decimal_converts_exactly_and_a_wider_one_is_refused_with_its_shape()
    {
        Assert.Equal(12345678901234567890.12345678m, ExactDecimal.Parse("12345678901234567890.12345678").ToDecimal());
        Assert.Equal(-79228162514264337593543950335m, ExactDecimal.Parse("-79228162514264337593543950335").ToDecimal());

        var error = Assert.Throws<ValuePrecisionException>(() => ExactDecimal.Parse("12345678901234567890.1234567891").ToDecimal());
        Assert.Contains("30 significant digits, 20 integer digits, 10 after the point", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_no_longer_parses_through_a_rounding_decimal_parse()
    {
        Assert.Throws<ValuePrecisionException>(() => ValueConversion.ToDecimal("12345678901234567890.1234567891"));
        Assert.Equal(1.5m, ValueConversion.ToDecimal("1.50"));
    }

    [Theory]
    [InlineData("2.345", 2, "2.35")]
    [InlineData("-2.345", 2, "-2.35")]
    [InlineData("9999999999999999999999999999.99999", 4, "10000000000000000000000000000")]
    [InlineData("1.2", 4, "1.2")]
    public void Rounding_is_half_away_from_zero(string text, int scale, string rounded) =>
        Assert.Equal(rounded, ExactDecimal.Parse(text).Round(scale).ToString());

    [Fact]
    public void Numbers_of_every_clr_type_become_their_exact_value()
    {
        Assert.Equal("170141183460469231731687303715884105727", ExactDecimal.From(BigInteger.Pow(2, 127) - 1).ToString());
        Assert.Equal("0.1", ExactDecimal.From(0.1d).ToString());
        Assert.Equal("-12.5", ExactDecimal.From(-12.50m).ToString());
        Assert.Equal("18446744073709551615", ExactDecimal.From(ulong.MaxValue).ToString());
    }
}
