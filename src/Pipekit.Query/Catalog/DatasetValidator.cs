using System.Text.RegularExpressions;
using Pipekit.Core.Validation;

namespace Pipekit.Query.Catalog;

/// <summary>Checks a dataset registration before anything is stored: a view name, a path/glob/s3 URI, a known format and its options.</summary>
public static partial class DatasetValidator
{
    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,62}\z")]
    private static partial Regex NamePattern();

    public static Dataset Validate(DatasetInput input, string source = DatasetSources.Api)
    {
        var errors = new ValidationErrors();
        var name = input.Name ?? "";
        // Not trimmed: "abc\n" is not the name abc, and a name that silently changes is not the one the client sent.
        if (!IsValidName(name))
            errors.Add("name", "must be a view name: a letter or _ then letters, digits or _ (at most 63)");
        var uri = input.Uri?.Trim() ?? "";
        if (UriError(uri) is { } uriError) errors.Add("uri", uriError);
        var format = (input.Format ?? InferFormat(uri) ?? "").Trim().ToLowerInvariant();
        if (!DatasetOptions.Formats.Contains(format))
            errors.Add("format", $"must be one of {string.Join(", ", DatasetOptions.Formats)}{(input.Format is null ? " (it could not be told from the uri's extension)" : "")}");
        IReadOnlyDictionary<string, object> options = new Dictionary<string, object>();
        try
        {
            if (input.Options is { } json) options = DatasetOptions.FromJson(json);
            foreach (var error in DatasetOptions.Validate(format, options)) errors.Add("options", error);
        }
        catch (FormatException e)
        {
            errors.Add("options", e.Message);
        }
        errors.ThrowIfAny();
        return new Dataset { Name = name, Uri = uri, Format = format, Options = options, Source = source };
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static string? UriError(string uri)
    {
        if (uri.Length == 0) return "is required: an absolute path, a glob such as /data/sales/*.parquet, or s3://bucket/key-or-prefix";
        if (uri.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = uri[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash <= 0 ? "an s3 uri must name a bucket and a key or prefix: s3://bucket/key" : null;
        }
        if (uri.Contains("://", StringComparison.Ordinal)) return "must be a local path or s3://…; other schemes are not supported";
        if (!Path.IsPathFullyQualified(uri)) return $"must be an absolute path, got '{uri}'";
        if (uri.Contains('\'', StringComparison.Ordinal) || uri.Contains('\0', StringComparison.Ordinal)) return "must not contain quotes or NUL characters";
        return null;
    }

    private static string? InferFormat(string uri)
    {
        var lower = uri.ToLowerInvariant();
        if (lower.EndsWith(".parquet", StringComparison.Ordinal) || lower.EndsWith('/')) return "parquet";
        if (lower.EndsWith(".csv", StringComparison.Ordinal) || lower.EndsWith(".csv.gz", StringComparison.Ordinal)) return "csv";
        if (lower.EndsWith(".json", StringComparison.Ordinal) || lower.EndsWith(".ndjson", StringComparison.Ordinal) || lower.EndsWith(".jsonl", StringComparison.Ordinal))
            return "json";
        return null;
    }
}
