namespace Pipekit.Server.Pages;

internal sealed class IndexModel(TimeProvider time) : PipekitPage(time)
{
}
