namespace Pipekit.Pipelines.Execution;

/// <summary>Where the Python SDK (<c>sdk/python/pit</c>) ships: next to the binary, put on <c>PYTHONPATH</c> of python tasks.</summary>
public static class PythonSdk
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "sdk", "python");
}
