using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Core.Notifications;
using Pipekit.Server.Api.Contracts;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Notifications;

/// <summary>
/// <c>pipekit notifications list|test|add-channel|remove-channel|set-rule|remove-rule</c>: the channels and rules of
/// notifications, changed through <see cref="NotificationEditor"/> as the API and the Settings page change them.
/// </summary>
internal sealed class NotificationsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("notifications", "Notification channels (webhook, email) and the rules that send to them");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildTest(runner));
        command.Subcommands.Add(BuildAddChannel(runner));
        command.Subcommands.Add(BuildRemoveChannel(runner));
        command.Subcommands.Add(BuildSetRule(runner));
        command.Subcommands.Add(BuildRemoveRule(runner));
        return command;
    }

    private static Argument<string> ChannelArgument() => new("channel") { Description = "Channel name ('pipekit notifications list' shows them)" };

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: {channels: items of GET /api/notifications/channels, rules: items of GET /api/notifications/rules}" };
        var command = new Command("list", "List channels and rules") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var editor = await ctx.ReadyAsync<NotificationEditor>(ct);
            var channels = await editor.ListChannelsAsync(ct);
            var rules = await editor.ListRulesAsync(ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, new { Channels = channels.Select(NotificationChannelDto.Of).ToList(), Rules = rules.Select(NotificationRuleDto.From).ToList() }, ct);
                return ExitCodes.Success;
            }
            if (channels.Count == 0)
                await ctx.Out.WriteLineAsync("no channels yet; add one with 'pipekit notifications add-channel NAME --type webhook --url URL --secret $NAME'");
            else
            {
                var channelTable = new TextTable().Column("CHANNEL").Column("TYPE").Column("SOURCE").Column("WHERE");
                foreach (var c in channels)
                {
                    var where = c.Kind == NotificationChannel.Webhook
                        ? $"{c.Url} (signed with {c.Secret})"
                        : $"{c.SmtpHost}:{c.SmtpPort} {c.Security} → {string.Join(", ", c.To)}{(c.Password is null ? "" : $" (password {c.Password})")}";
                    channelTable.Row(c.Name, c.Kind, c.Source, where);
                }
                await channelTable.WriteAsync(ctx.Out, ct);
            }
            await ctx.Out.WriteLineAsync();
            var ruleTable = new TextTable().Column("RULE", right: true).Column("TARGET").Column("ON").Column("CHANNELS").Column("LATE").Column("LONG");
            foreach (var r in rules)
            {
                var target = r.TargetKind == NotificationRule.Global ? $"global ({r.Source})" : $"{r.TargetKind} {r.TargetName}";
                ruleTable.Row(r.Id?.ToString(CultureInfo.InvariantCulture), target, r.On.Count == 0 ? null : string.Join(",", r.On),
                    r.Channels.Count == 0 ? "(all)" : string.Join(",", r.Channels), r.LateAfter is { } l ? DurationText.Format(l) : null,
                    r.LongFactor is { } f ? f.ToString(CultureInfo.InvariantCulture) + "x" : null);
            }
            await ruleTable.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildTest(CommandRunner runner)
    {
        var channel = ChannelArgument();
        var command = new Command("test", "Send a test message to a channel now; exits 1 when it is not delivered") { channel };
        runner.Bind(command, async (ctx, ct) =>
        {
            var error = await (await ctx.ReadyAsync<NotificationEditor>(ct)).TestAsync(ctx.Value(channel), ct);
            if (error is not null) throw new CommandFailedException($"test message to {ctx.Value(channel)} not delivered: {error}");
            await ctx.Out.WriteLineAsync($"test message delivered to {ctx.Value(channel)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildAddChannel(CommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Channel name: letters, digits, '_', '.', '-'" };
        var type = new Option<string>("--type") { Description = "webhook or email", Required = true };
        var url = new Option<string?>("--url") { Description = "webhook: the http(s) URL to POST to" };
        var secret = new Option<string?>("--secret") { Description = "webhook: $NAME reference to the secret that signs each body (X-Pipekit-Signature)" };
        var host = new Option<string?>("--host") { Description = "email: SMTP server" };
        var port = new Option<int?>("--port") { Description = "email: SMTP port (default 587)" };
        var security = new Option<string?>("--security") { Description = "email: starttls (default), ssl or none" };
        var user = new Option<string?>("--username") { Description = "email: SMTP user" };
        var password = new Option<string?>("--password") { Description = "email: $NAME reference to the SMTP password in the secrets file (never the password itself)" };
        var from = new Option<string?>("--from") { Description = "email: From address" };
        var to = new Option<string[]>("--to") { Description = "email: a recipient (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add-channel", "Add a webhook or email channel") { name, type, url, secret, host, port, security, user, password, from, to };
        runner.Bind(command, async (ctx, ct) =>
        {
            var input = new NotificationChannelInput(ctx.Value(name), ctx.Value(type), ctx.Value(url), ctx.Value(secret), ctx.Value(host), ctx.Value(port),
                ctx.Value(security), ctx.Value(user), ctx.Value(password), ctx.Value(from), ctx.Value(to));
            var saved = await (await ctx.ReadyAsync<NotificationEditor>(ct)).AddChannelAsync(input.ToChannel(), ct);
            await ctx.Out.WriteLineAsync($"added {saved.Kind} channel {saved.Name}; try it with 'pipekit notifications test {saved.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildRemoveChannel(CommandRunner runner)
    {
        var channel = ChannelArgument();
        var command = new Command("remove-channel", "Remove a channel added through the CLI, the API or the Settings page") { channel };
        runner.Bind(command, async (ctx, ct) =>
        {
            await (await ctx.ReadyAsync<NotificationEditor>(ct)).RemoveChannelAsync(ctx.Value(channel), ct);
            await ctx.Out.WriteLineAsync($"removed channel {ctx.Value(channel)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildSetRule(CommandRunner runner)
    {
        var global = new Option<bool>("--global") { Description = "The default rule of every target without its own" };
        var module = new Option<string?>("--module") { Description = "The rule of one module (runs outside a group)" };
        var group = new Option<string?>("--group") { Description = "The rule of one group (one message per group run)" };
        var pipeline = new Option<string?>("--pipeline") { Description = "The rule of one pipeline (DAG)" };
        var on = new Option<string[]>("--on") { Description = "failure, recovery or always (repeatable or comma-separated; 'none' for no status message)", AllowMultipleArgumentsPerToken = false };
        var channels = new Option<string[]>("--channel") { Description = "A channel to send to (repeatable; none given: every channel)", AllowMultipleArgumentsPerToken = false };
        var late = new Option<string?>("--late-after") { Description = "Scheduled group or pipeline: alert when not finished this long after the schedule fired (e.g. 2h)" };
        var longFactor = new Option<double?>("--long-factor") { Description = "Alert when a run takes longer than this many times the median of its last 20 successful runs" };
        var command = new Command("set-rule", "Create or replace the rule of a target (one rule per target)") { global, module, group, pipeline, on, channels, late, longFactor };
        runner.Bind(command, async (ctx, ct) =>
        {
            var targets = new (string Kind, string? Name)[]
            {
                (NotificationRule.Global, ctx.Value(global) ? "" : null), (NotificationRule.Module, ctx.Value(module)),
                (NotificationRule.Group, ctx.Value(group)), (NotificationRule.Pipeline, ctx.Value(pipeline)),
            }.Where(t => t.Name is not null).ToList();
            if (targets.Count != 1) throw new UsageException("name exactly one target: --global, --module NAME, --group NAME or --pipeline NAME");
            var events = (ctx.Value(on) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var input = new NotificationRuleInput(targets[0].Kind, targets[0].Name, events.Count == 0 ? null : events.Where(e => e != "none").ToList(),
                ctx.Value(channels), ctx.Value(late), ctx.Value(longFactor));
            var saved = await (await ctx.ReadyAsync<NotificationEditor>(ct)).SetRuleAsync(input.ToRule(), ct);
            await ctx.Out.WriteLineAsync($"rule {saved.Id}: {(saved.TargetKind == NotificationRule.Global ? "global" : $"{saved.TargetKind} {saved.TargetName}")} on " +
                $"{(saved.On.Count == 0 ? "no status" : string.Join(", ", saved.On))} to {(saved.Channels.Count == 0 ? "every channel" : string.Join(", ", saved.Channels))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildRemoveRule(CommandRunner runner)
    {
        var id = new Argument<long>("id") { Description = "Rule id ('pipekit notifications list' shows them)" };
        var command = new Command("remove-rule", "Remove a rule; its target falls back to the global rule") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            await (await ctx.ReadyAsync<NotificationEditor>(ct)).RemoveRuleAsync(ctx.Value(id), ct);
            await ctx.Out.WriteLineAsync($"removed rule {ctx.Value(id)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
