using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Core.Tests.Notifications;

/// <summary>The <c>[notifications]</c> section and <c>[notifications.channel.NAME]</c> tables of pipekit.toml.</summary>
public sealed class NotificationConfigFacts
{
    [Fact]
    public void Channels_and_the_default_rule_are_read_from_the_file()
    {
        var config = ConfigLoader.Parse("""
            [notifications]
            base_url = "https://pipekit.example.com/"
            on = ["failure", "recovery"]
            channels = ["ops"]
            late_after = "2h"
            long_factor = 3

            [notifications.channel.ops]
            type = "webhook"
            url = "https://hooks.example.com/pipekit"
            secret = "$HOOK_SECRET"

            [notifications.channel.mail]
            type = "email"
            host = "smtp.example.com"
            port = 465
            security = "ssl"
            username = "pipekit"
            password = "$smtp_password"
            from = "pipekit@example.com"
            to = ["a@example.com", "b@example.com"]
            """, "pipekit.toml");

        var n = config.Notifications;
        Assert.Equal("https://pipekit.example.com", n.BaseUrl);
        Assert.Equal(["failure", "recovery"], n.On);
        Assert.Equal(TimeSpan.FromHours(2), n.LateAfter);
        Assert.Equal(3, n.LongFactor);
        Assert.Equal(["ops", "mail"], n.ChannelList.Select(c => c.Name));
        var mail = n.ChannelList[1];
        Assert.Equal(("smtp.example.com", 465, "ssl", "$smtp_password"), (mail.SmtpHost, mail.SmtpPort, mail.Security, mail.Password));
        Assert.Equal(["a@example.com", "b@example.com"], mail.To);
    }

    [Theory]
    [InlineData("[notifications.channel.mail]\ntype = \"email\"\nhost = \"smtp\"\nfrom = \"p@example.com\"\nto = \"a@example.com\"\nusername = \"u\"\npassword = \"hunter2hunter2\"",
        "pipekit.toml:7: notifications.channel.mail.password: must be a $NAME reference")]
    [InlineData("[notifications.channel.ops]\ntype = \"webhook\"\nurl = \"ftp://x\"\nsecret = \"$S\"", "pipekit.toml:3: notifications.channel.ops.url: must be an http:// or https:// URL")]
    [InlineData("[notifications.channel.ops]\ntype = \"webhook\"\nurl = \"https://x\"", "pipekit.toml:2: notifications.channel.ops.secret: is required")]
    [InlineData("[notifications.channel.ops]\ntype = \"pager\"", "pipekit.toml:2: notifications.channel.ops.type: must be \"webhook\" or \"email\"")]
    [InlineData("[notifications.channel.ops]\ntype = \"webhook\"\nurl = \"https://x\"\nsecret = \"$S\"\ncolour = \"red\"", "pipekit.toml:5: unknown key 'notifications.channel.ops.colour'")]
    [InlineData("[notifications]\non = [\"sometimes\"]", "pipekit.toml:2: notifications.on: holds \"sometimes\"")]
    [InlineData("[notifications]\nlong_factor = 0.5", "pipekit.toml:2: notifications.long_factor: must be between 1.1 and 1000")]
    [InlineData("[notifications]\nsend = true", "pipekit.toml:2: unknown key 'notifications.send'")]
    public void Bad_notification_config_is_refused_with_one_line_naming_the_key(string toml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml, "pipekit.toml"));
        Assert.StartsWith(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain("hunter2hunter2", ex.Message);
    }
}
