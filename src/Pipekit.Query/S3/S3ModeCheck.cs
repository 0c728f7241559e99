using DuckDB.NET.Data;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.S3;

/// <summary><c>pipekit doctor</c>: which S3 mode the query engine uses, and why.</summary>
internal sealed class S3ModeCheck(S3Settings settings, Redactor redactor) : IDoctorCheck
{
    public string Name => "s3";

    public int Order => 70;

    public Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken cancellationToken)
    {
        var o = settings.Options;
        var endpoint = o.Endpoint ?? $"AWS {o.Region}";
        var credentials = settings.HasCredentials
            ? "credentials from secrets s3_access_key_id/s3_secret_access_key"
            : "no credentials (set secrets s3_access_key_id and s3_secret_access_key for a private bucket)";
        var httpfs = settings.IsDirect ? HttpfsError() : null;
        var result = httpfs is not null
            ? new DoctorResult(Name, DoctorStatus.Fail, httpfs)
            : settings.IsDirect
            ? new DoctorResult(Name, DoctorStatus.Ok,
                $"mode direct ([s3] mode = \"direct\"): DuckDB reads s3:// through httpfs (loaded); endpoint {endpoint}; {credentials}")
            : new DoctorResult(Name, DoctorStatus.Ok,
                $"mode cache ({(o.Mode == "cache" ? "the default: httpfs cannot be downloaded offline" : o.Mode)}): s3:// objects are mirrored into "
                + $"{settings.CacheDirectory} (budget {o.CacheMaxMegabytes} MB, keyed by ETag); endpoint {endpoint}; {credentials}");
        return Task.FromResult<IReadOnlyList<DoctorResult>>([result]);
    }

    // The same load the query engine does, in a throwaway in-memory database.
    private string? HttpfsError()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        try
        {
            QueryDatabase.LoadHttpfs(connection, redactor);
            return null;
        }
        catch (QueryException e)
        {
            return e.Message;
        }
    }
}
