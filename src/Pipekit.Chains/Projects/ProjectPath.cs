
namespace Pipekit.Chains.Projects;

/// <summary>
/// The one spelling of a path inside a project: relative, '/'-separated, no empty, '.' or '..' segments. Anything
/// that could name a file outside the project (an absolute path, '..', a backslash that some tool would read as a
/// separator, a NUL that would cut the name short at the operating system) is refused, never repaired.
/// </summary>
public static class ProjectPath
{
    public static string Normalize(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) throw new ChainInputException("a project path is empty");
        if (raw.Contains('\0')) throw new ChainInputException($"project path '{Printable(raw)}' contains a NUL character");
        if (raw.Contains('\\')) throw new ChainInputException($"project path '{raw}' contains a backslash; separate directories with '/'");
        if (raw.StartsWith('/') || (raw.Length >= 2 && raw[1] == ':'))
            throw new ChainInputException($"project path '{raw}' is absolute; give it relative to the project root");

        var segments = new List<string>();
        foreach (var segment in raw.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") throw new ChainInputException($"project path '{raw}' contains '..'; paths must stay inside the project");
            if (segment.Any(char.IsControl)) throw new ChainInputException($"project path '{Printable(raw)}' contains a control character");
            segments.Add(segment);
        }
        if (segments.Count == 0) throw new ChainInputException($"project path '{raw}' names no file");
        return string.Join('/', segments);
    }

    private static string Printable(string raw) => new(raw.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
