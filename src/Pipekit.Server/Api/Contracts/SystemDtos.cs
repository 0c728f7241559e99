using Pipekit.Core.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.State;

namespace Pipekit.Server.Api.Contracts;

internal sealed record HealthDto(string Status, string Version);

internal sealed record DoctorDto(bool Ok, IReadOnlyList<DoctorCheckDto> Checks);

internal sealed record DoctorCheckDto(string Check, string Status, string Message)
{
    public static DoctorCheckDto From(DoctorResult r) => new(r.Check, r.Status.ToString().ToLowerInvariant(), r.Message);
}

internal sealed record SettingDto(string Key, string Value, DateTimeOffset UpdatedAt)
{
    public static SettingDto From(Setting s) => new(s.Key, s.Value, s.UpdatedAt);
}

internal sealed record SettingInput(string? Value);

internal sealed record DriverDto(string Kind, IReadOnlyList<string> Schemes, string BulkPath, string Dialect, IReadOnlyList<BrowseFieldDto> BrowseFields)
{
    public static DriverDto From(IDriver d)
    {
        var dialect = d.GetDialect(null);
        return new DriverDto(d.Kind, d.Schemes, d.BulkPath, dialect.Name, dialect.BrowseFields.Select(BrowseFieldDto.From).ToList());
    }
}

internal sealed record BrowseFieldDto(string Name, string Label, bool Required, string? DefaultValue)
{
    public static BrowseFieldDto From(BrowseField f) => new(f.Name, f.Label, f.Required, f.DefaultValue);
}
