using Pipekit.Core.Secrets;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

public sealed class SecretsFormatFacts
{
    [Theory]
    [InlineData("secrets.toml", "A=1\n")]
    [InlineData("secrets.TOML", "export A=1\n")]
    [InlineData("secrets", "[global]\nA=\"1\"\n")]
    [InlineData("secrets", "a = \"1\"\n")]
    [InlineData("secrets", "a= \"1\"\n")]
    [InlineData("secrets", "B=2\n[global]\n")]
    [InlineData("secrets", "")]
    [InlineData("secrets", "# only a comment\n")]
    public void Toml_is_chosen_by_extension_headers_or_spaced_assignments(string name, string text)
    {
        Assert.Equal(SecretsFormat.Toml, SecretsDocument.DetectFormat("/x/" + name, text));
    }

    [Theory]
    [InlineData("secrets.env", "[global]\n")]
    [InlineData(".env", "")]
    [InlineData("secrets", "A=1\n")]
    [InlineData("secrets", "KEY=\"value\"\n")]
    [InlineData("secrets", "# c\n\nexport A = 1\nB=2\n")]
    public void Env_is_chosen_by_extension_or_tight_key_value_lines(string name, string text)
    {
        Assert.Equal(SecretsFormat.Env, SecretsDocument.DetectFormat("/x/" + name, text));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("q\"uote", "\"q\\\"uote\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("new\nline\r", "\"new\\nline\\r\"")]
    [InlineData("tab\tnul\0del\u007f", "\"tab\\tnul\\u0000del\\u007F\"")]
    [InlineData("é😀", "\"é😀\"")]
    public void Toml_basic_strings_escape_what_toml_requires(string value, string encoded)
    {
        Assert.Equal(encoded, TomlEncoding.BasicString(value));
    }
}
