using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Pipekit.Core.Notifications;

/// <summary>
/// Delivers a JSON body to a webhook (a chain job's <c>webhook_url</c>, a notification channel): a JSON POST signed with HMAC-SHA256 over the exact body
/// (<c>X-Pipekit-Signature: sha256=&lt;hex&gt;</c>), retried with exponential backoff on a network error, a timeout, a
/// 5xx, 408 or 429. Other 4xx answers are final: the receiver refused this body and would refuse it again.
/// </summary>
public sealed class WebhookSender
{
    // Built on the first webhook: every run constructs the notifier, and most never send one, so a short `pipekit run`
    // does not load the HTTP stack for nothing.
    private readonly Lazy<HttpClient> _http;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(HttpClient http, TimeProvider time, ILogger<WebhookSender> logger)
        : this(() => http, time, logger)
    {
    }

    /// <summary>A sender whose client <paramref name="http"/> makes on the first send.</summary>
    public WebhookSender(Func<HttpClient> http, TimeProvider time, ILogger<WebhookSender> logger)
    {
        _http = new Lazy<HttpClient>(http, LazyThreadSafetyMode.ExecutionAndPublication);
        _time = time;
        _logger = logger;
    }

    public const string SignatureHeader = "X-Pipekit-Signature";
    public const int Attempts = 5;

    /// <summary>The delay before retry n (1-based): 0.5 s, 1 s, 2 s, 4 s.</summary>
    public static TimeSpan Backoff(int retry) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, retry - 1));

    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Returns how many attempts it took, or 0 when every attempt failed.</summary>
    public async Task<int> SendAsync(Uri url, byte[] body, string secret, CancellationToken cancellationToken)
    {
        var signature = Sign(body, secret);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1) await Task.Delay(Backoff(attempt - 1), _time, cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.Add(SignatureHeader, signature);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await _http.Value.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode) return attempt;
                var code = (int)response.StatusCode;
                if (code < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                {
                    _logger.LogWarning("Webhook {Host} refused the notification with {Status}; not retrying", url.Host, code);
                    return 0;
                }
                _logger.LogWarning("Webhook {Host} answered {Status} (attempt {Attempt} of {Attempts})", url.Host, code, attempt, Attempts);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Webhook {Host} failed: {Error} (attempt {Attempt} of {Attempts})", url.Host, ex.Message, attempt, Attempts);
            }
        }
        return 0;
    }
}
