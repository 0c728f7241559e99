using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary><c>pipekit notifications</c>: channels, a test message to a local HTTP listener, rules, and refused input.</summary>
public sealed class NotificationsCliFacts
{
    [Fact]
    public async Task Channels_and_rules_are_added_tested_listed_and_removed_from_the_command_line()
    {
        using var home = new TempDirectory();
        using var hook = new WebhookReceiver();
        await File.WriteAllTextAsync(Path.Combine(home.Path, "secrets.toml"), "[global]\nhook_secret = \"cli-hook-secret-77\"\n");
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);

        var add = await cli.RunAsync("notifications", "add-channel", "ops", "--type", "webhook", "--url", hook.Url, "--secret", "$hook_secret");
        Assert.True(add.ExitCode == 0, add.Error);
        var test = await cli.RunAsync("notifications", "test", "ops");
        Assert.True(test.ExitCode == 0, test.Error);
        Assert.Contains("test message delivered to ops", test.Out);
        Assert.Single(hook.Received);

        var rule = await cli.RunAsync("notifications", "set-rule", "--group", "nightly", "--on", "failure,recovery", "--channel", "ops", "--late-after", "2h");
        Assert.True(rule.ExitCode == 0, rule.Error);
        var list = await cli.RunAsync("notifications", "list");
        Assert.Contains("ops", list.Out);
        Assert.Matches(@"group nightly\s+failure,recovery\s+ops\s+2h", list.Out);
        Assert.DoesNotContain("cli-hook-secret-77", list.Out + list.Error);

        var literal = await cli.RunAsync("notifications", "add-channel", "mail", "--type", "email", "--host", "smtp.example.com", "--username", "u",
            "--password", "hunter2-literal", "--from", "p@example.com", "--to", "a@example.com");
        Assert.Equal(2, literal.ExitCode);
        Assert.Contains("password", literal.Error);
        Assert.DoesNotContain("hunter2", literal.Error + literal.Out);

        Assert.Equal(0, (await cli.RunAsync("notifications", "remove-channel", "ops")).ExitCode);
        var missing = await cli.RunAsync("notifications", "test", "ops");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no notification channel named 'ops'", missing.Error);
        Assert.Equal(0, (await cli.RunAsync("notifications", "--help")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("notifications", "set-rule", "--help")).ExitCode);
    }
}
