namespace Pipekit.Core.Notifications;

/// <summary>How a run ended, as rules see it: a dry run or a skip is not reported at all.</summary>
public enum NoticeStatus
{
    Success,
    Failure,
    Cancelled,
}
