using Amazon.Runtime;
using Amazon.S3;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.S3;

/// <summary><c>[s3]</c> together with the credentials from secrets (<c>s3_access_key_id</c>, <c>s3_secret_access_key</c>).</summary>
public sealed record S3Settings(S3Options Options, string? AccessKeyId, string? SecretAccessKey, string CacheDirectory)
{
    public const string AccessKeySecret = "s3_access_key_id";
    public const string SecretKeySecret = "s3_secret_access_key";

    public bool IsDirect => Options.Mode == "direct";

    public bool HasCredentials => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    public static S3Settings From(PipekitEnvironment environment, SecretStore secrets) =>
        new(environment.Config.S3,
            secrets.TryResolve(null, AccessKeySecret, out var key) ? key : null,
            secrets.TryResolve(null, SecretKeySecret, out var secret) ? secret : null,
            Path.Combine(environment.Home.CacheDirectory, "s3"));

    /// <summary>An S3 client for the endpoint; s3rver and MinIO want path-style URLs and no chunked uploads.</summary>
    public AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = Options.UrlStyle == "path",
            AuthenticationRegion = Options.Region,
            UseHttp = !Options.UseSsl,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (Options.Endpoint is { } endpoint) config.ServiceURL = endpoint;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(Options.Region);
        AWSCredentials credentials = HasCredentials ? new BasicAWSCredentials(AccessKeyId, SecretAccessKey) : new AnonymousAWSCredentials();
        return new AmazonS3Client(credentials, config);
    }
}
