namespace Pipekit.Server.Json;

/// <summary>
/// Endpoint metadata of a route that reads and checks its own body (<c>POST /sql</c> streams a bounded read), so
/// <see cref="BodyShapeMiddleware"/> leaves the body to it.
/// </summary>
internal sealed class ReadsBodyItself;
