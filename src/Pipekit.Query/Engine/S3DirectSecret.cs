namespace Pipekit.Query.Engine;

/// <summary>The parts of DuckDB's <c>CREATE SECRET (TYPE S3 …)</c> for <c>[s3] mode = "direct"</c>.</summary>
public sealed record S3DirectSecret(string KeyId, string Secret, string Region, string? Endpoint, string UrlStyle, bool UseSsl);
