namespace Pipekit.Core.Secrets;

/// <summary>A secrets file permission finding: its status and a one-line message that says what to do.</summary>
/// <param name="Status">How serious the finding is.</param>
/// <param name="Message">What was found, naming the file and, when something is wrong, the fix.</param>
public sealed record SecretsPermissionCheck(SecretsPermissionStatus Status, string Message);
