using System.Diagnostics;
using System.Text;
using Pipekit.Core.Secrets;
using Pipekit.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Pipekit.Core.Tests.Secrets;

public sealed class RedactorFacts(ITestOutputHelper output)
{
    [Fact]
    public void Redact_replaces_every_occurrence_of_every_value()
    {
        var redactor = new Redactor(["hunter2!", "Server=db;Password=pw"]);

        var text = redactor.Redact("login hunter2! failed; conn Server=db;Password=pw; again hunter2!");

        Assert.Equal("login *** failed; conn ***; again ***", text);
    }

    [Fact]
    public void Redact_of_null_or_empty_is_empty()
    {
        var redactor = new Redactor(["secret"]);

        Assert.Equal("", redactor.Redact(null));
        Assert.Equal("", redactor.Redact(""));
    }

    [Fact]
    public void Redact_leaves_a_text_without_secrets_as_it_is()
    {
        var redactor = new Redactor(["secret"]);
        const string text = "nothing to see here";

        Assert.Same(text, redactor.Redact(text));
        Assert.Equal("anything", new Redactor([]).Redact("anything"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("abc")]
    public void Values_shorter_than_four_characters_are_ignored(string value)
    {
        var redactor = new Redactor([value]);
        redactor.Register(value);

        Assert.Equal("a abc b", redactor.Redact("a abc b"));
    }

    [Fact]
    public void A_four_character_value_is_redacted()
    {
        Assert.Equal("x *** y", new Redactor(["abcd"]).Redact("x abcd y"));
    }

    [Theory]
    [InlineData("p.ss")]
    [InlineData("a*b+c?")]
    [InlineData("(group)")]
    [InlineData("[class]")]
    [InlineData("{1,2}")]
    [InlineData("a|b|c")]
    [InlineData("^anchor$")]
    [InlineData(@"back\slash\d")]
    [InlineData(@".*+?()[]{}|^$\")]
    public void Values_with_regex_metacharacters_match_literally(string value)
    {
        var redactor = new Redactor([value]);

        Assert.Equal("before *** after", redactor.Redact($"before {value} after"));
        // Read as a pattern, each of these would also match text like this; literally, they must not.
        Assert.Equal("pass axb aaab groupclass 1 abc anchor backslashd", redactor.Redact("pass axb aaab groupclass 1 abc anchor backslashd"));
    }

    [Fact]
    public void A_longer_value_wins_over_a_shorter_value_inside_it()
    {
        var redactor = new Redactor(["secret", "supersecretvalue"]);

        Assert.Equal("*** and ***", redactor.Redact("supersecretvalue and secret"));
    }

    [Fact]
    public void Overlapping_values_are_masked_together_so_neither_leaks_in_part()
    {
        var redactor = new Redactor(["abcdef", "defghi"]);

        Assert.Equal("x *** y", redactor.Redact("x abcdefghi y"));
        Assert.Equal("x *** y", redactor.Redact("x defghi y"));
        Assert.Equal("***", redactor.Redact("abcdefdefghi"));
    }

    [Fact]
    public void A_value_repeated_back_to_back_is_masked()
    {
        var redactor = new Redactor(["aaaa"]);

        Assert.Equal("***", redactor.Redact("aaaaaaaaa"));
        Assert.Equal("b***b", redactor.Redact("baaaaab"));
    }

    [Fact]
    public void Register_adds_a_value_after_construction()
    {
        var redactor = new Redactor([]);
        Assert.Equal("token=from-env", redactor.Redact("token=from-env"));

        redactor.Register("from-env");

        Assert.Equal("token=***", redactor.Redact("token=from-env"));
    }

    [Fact]
    public void Register_also_masks_the_percent_encoded_form_used_in_connection_uris()
    {
        var redactor = new Redactor([]);

        redactor.Register("p@ss/word");

        Assert.Equal("postgres://app:***@db/claims", redactor.Redact("postgres://app:p%40ss%2Fword@db/claims"));
        Assert.Equal("raw ***", redactor.Redact("raw p@ss/word"));
    }

    [Fact]
    public void Register_is_safe_from_many_threads()
    {
        var redactor = new Redactor([]);
        var values = Enumerable.Range(0, 400).Select(i => $"secret-{i:D4}").ToArray();

        Parallel.ForEach(values, value =>
        {
            redactor.Register(value);
            Assert.Equal("[***]", redactor.Redact($"[{value}]"));
        });

        Assert.Equal(string.Join(" ", values.Select(_ => "***")), redactor.Redact(string.Join(" ", values)));
    }

    [Fact]
    public async Task FromStore_redacts_every_value_in_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("secrets.toml");
        await File.WriteAllTextAsync(path, "[global]\nsmtp = \"smtp-pass\"\n[claims]\ndb = \"Server=claims;Password=pw\"\n");
        var store = await SecretStore.LoadAsync(path, CancellationToken.None);

        var redactor = Redactor.FromStore(store);

        Assert.Equal("*** / ***", redactor.Redact("smtp-pass / Server=claims;Password=pw"));
    }

    [Fact]
    public void Redact_is_fast_for_many_values_and_a_long_text()
    {
        var random = new Random(42);
        var values = Enumerable.Range(0, 100)
            .Select(i => $"{Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))}.{i}+?")
            .ToArray();
        var redactor = new Redactor(values);
        var builder = new StringBuilder(1_100_000);
        var line = 0;
        while (builder.Length < 1_000_000)
        {
            builder.Append("2024-01-01T00:00:00Z INFO task=extract row=").Append(line).Append(" connecting to server with options abcdef\n");
            if (++line % 50 == 0) builder.Append("ERROR auth failed for ").Append(values[line % values.Length]).Append('\n');
        }
        var text = builder.ToString();
        redactor.Redact(text); // warm up: JIT and the lazily built matcher

        var stopwatch = Stopwatch.StartNew();
        var redacted = redactor.Redact(text);
        stopwatch.Stop();

        output.WriteLine($"redacted {text.Length:N0} chars with {values.Length} values in {stopwatch.Elapsed.TotalMilliseconds:F1} ms");
        foreach (var value in values) Assert.DoesNotContain(value, redacted);
        Assert.Contains("ERROR auth failed for ***\n", redacted);
    }
}
