using Pipekit.Core.Validation;

namespace Pipekit.Server.Api.Contracts;

/// <summary>The <c>limit</c> query parameter of paged lists.</summary>
internal static class Limits
{
    public const int Default = 50;
    public const int Max = 500;

    public static int Check(int? limit)
    {
        if (limit is null) return Default;
        if (limit < 1 || limit > Max) throw new ValidationException("limit", $"must be between 1 and {Max}, got {limit}");
        return limit.Value;
    }
}
