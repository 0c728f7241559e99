using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipekit.Sync.Verification;

/// <summary>How a verification is stored in <c>run_log.verify_json</c>: snake_case, as the API shows it.</summary>
public static class VerifyJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
