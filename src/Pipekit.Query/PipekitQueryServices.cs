using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Core.Datasets;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Secrets;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Query.S3;
using Pipekit.Query.State;
using Pipekit.Core.State;

namespace Pipekit.Query;

/// <summary>Registers the Query part on top of <c>AddPipekitCore</c>: the engine, the catalog, the registrar, the S3 mirror.</summary>
public static class PipekitQueryServices
{
    public static IServiceCollection AddPipekitQuery(this IServiceCollection services)
    {
        services.AddStatePart(QuerySchema.Part);
        services.AddSingleton(sp => S3Settings.From(sp.GetRequiredService<PipekitEnvironment>(), sp.GetRequiredService<SecretStore>()));
        services.AddSingleton<S3Mirror>();
        services.AddSingleton(sp =>
        {
            var environment = sp.GetRequiredService<PipekitEnvironment>();
            var s3 = sp.GetRequiredService<S3Settings>();
            var database = new DatabaseSettings
            {
                TempDirectory = Path.Combine(environment.Home.CacheDirectory, "duckdb-tmp"),
                ExtraDirectories = [s3.CacheDirectory],
                S3Direct = s3.IsDirect && s3.HasCredentials
                    ? new S3DirectSecret(s3.AccessKeyId!, s3.SecretAccessKey!, s3.Options.Region, s3.Options.Endpoint, s3.Options.UrlStyle, s3.Options.UseSsl)
                    : null,
            };
            return new QueryEngine(QueryEngineSettings.From(environment.Config.Query, database), sp.GetRequiredService<Redactor>(),
                sp.GetRequiredService<ILogger<QueryEngine>>());
        });
        services.AddSingleton<IDatasetStore, DatasetRepository>();
        services.AddSingleton<DatasetSourceResolver>();
        services.AddSingleton(sp =>
        {
            var config = sp.GetRequiredService<PipekitConfig>();
            var catalog = config.Query.CatalogUrl is { } url
                ? new ExternalCatalog(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, url, config.S3.Bucket)
                : null;
            return new DatasetRegistrar(sp.GetRequiredService<IDatasetStore>(), sp.GetRequiredService<QueryEngine>(),
                sp.GetRequiredService<DatasetSourceResolver>(), sp.GetRequiredService<S3Mirror>(), sp.GetRequiredService<Redactor>(),
                sp.GetRequiredService<ILogger<DatasetRegistrar>>(), catalog);
        });
        services.AddSingleton<DatasetEditor>();
        // Lazily: every module run is handed the registration, and only a Parquet destination needs the registrar's DuckDB.
        services.AddSingleton<IDatasetRegistration>(sp =>
            new SyncDatasetRegistration(sp.GetRequiredService<IDatasetStore>(), sp.GetRequiredService<DatasetRegistrar>));
        services.AddSingleton<IDoctorCheck, S3ModeCheck>();
        return services;
    }
}
