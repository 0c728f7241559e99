using Pipekit.Core.Validation;
using Pipekit.Sync.Files;

namespace Pipekit.Server.Api.Contracts;

/// <summary>One project file of an apply request: its name (for messages) and its TOML text.</summary>
internal sealed record ApplyFileInput(string? Name, string? Content);

/// <summary>Body of <c>POST /api/apply</c>: the project files, and whether to only plan or to also remove what they do not declare.</summary>
internal sealed record ApplyInput(IReadOnlyList<ApplyFileInput>? Files, bool? DryRun, bool? Prune)
{
    public IReadOnlyList<SyncFile> Parse()
    {
        if (Files is not { Count: > 0 }) throw new ValidationException("files", "is required: a list of {\"name\", \"content\"} project files");
        return Files.Select((f, i) =>
        {
            var name = string.IsNullOrWhiteSpace(f.Name) ? $"files[{i}]" : f.Name;
            if (string.IsNullOrWhiteSpace(f.Content)) throw new ValidationException("files", $"{name}: content is required (the TOML text of the file)");
            return SyncFileParser.Parse(f.Content, name);
        }).ToList();
    }
}

/// <summary>One line of an apply plan.</summary>
internal sealed record ApplyChangeDto(string Kind, string Name, string Action, IReadOnlyList<string> ChangedFields)
{
    public static ApplyChangeDto From(ApplyChange c) => new(c.Kind, c.Name, c.Action.ToString().ToLowerInvariant(), c.ChangedFields);
}

/// <summary>What <c>apply</c> did, or (for a dry run) would do.</summary>
internal sealed record ApplyResultDto(bool DryRun, bool Prune, IReadOnlyList<ApplyChangeDto> Changes)
{
    public static ApplyResultDto From(IReadOnlyList<ApplyChange> changes, ApplyOptions options) =>
        new(options.DryRun, options.Prune, changes.Select(ApplyChangeDto.From).ToList());
}
