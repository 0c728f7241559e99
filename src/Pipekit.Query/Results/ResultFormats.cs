namespace Pipekit.Query.Results;

/// <summary>Media types of the result formats, for content negotiation and for the CLI's <c>--format</c>.</summary>
public static class ResultFormats
{
    public const string JsonMediaType = "application/json";
    public const string CsvMediaType = "text/csv";
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string ArrowMediaType = "application/vnd.apache.arrow.stream";

    public static string MediaType(ResultFormat format) => format switch
    {
        ResultFormat.Csv => CsvMediaType,
        ResultFormat.Ndjson => NdjsonMediaType,
        ResultFormat.Arrow => ArrowMediaType,
        _ => JsonMediaType,
    };

    /// <summary>The format for one media type, or null when Pipekit does not produce it.</summary>
    public static ResultFormat? FromMediaType(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        JsonMediaType or "application/*" or "*/*" => ResultFormat.Json,
        CsvMediaType or "text/*" => ResultFormat.Csv,
        NdjsonMediaType or "application/ndjson" or "application/jsonl" => ResultFormat.Ndjson,
        ArrowMediaType => ResultFormat.Arrow,
        _ => null,
    };
}
