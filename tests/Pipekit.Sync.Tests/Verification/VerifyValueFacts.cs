using System.Text;
using Pipekit.Sync.Verification;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>The engine-neutral text of one value: a decimal's text (as a wide decimal is read) hashes like the decimal.</summary>
public sealed class VerifyValueFacts
{
    public static TheoryData<object, string> Values => new()
    {
        { 12.34m, "12.34" },
        { "12.3400000000", "12.34" },
        { 12.3400000000m, "12.34" },
        { "100.00", "100" },
        { 100m, "100" },
        { "0.0000000000", "0" },
        { "-0.000", "0" },
        { "-0.0000000001", "-0.0000000001" },
        { "-9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999" },
        { "9999999999999999999999999999.9999999990", "9999999999999999999999999999.999999999" },
        // Not a plain decimal numeral with a point: left as it is.
        { "100", "100" },
        { "1.2.0", "1.2.0" },
        { "v1.50", "v1.50" },
        { ".50", ".50" },
        { "1.", "1." },
        { "1e10", "1e10" },
        { "14 months -3 days 14706789012 microseconds", "14 months -3 days 14706789012 microseconds" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Append_writes_the_engine_neutral_text(object value, string expected)
    {
        var text = new StringBuilder();

        VerifyValue.Append(text, value);

        Assert.Equal(expected, text.ToString());
    }
}
