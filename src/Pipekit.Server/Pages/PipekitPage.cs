using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pipekit.Server.Pages;

/// <summary>The base of every page: the clock the page renders relative times against.</summary>
internal abstract class PipekitPage(TimeProvider time) : PageModel
{
    public DateTimeOffset Now { get; } = time.GetUtcNow();
}
