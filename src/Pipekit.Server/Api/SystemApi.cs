using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Auth;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.State;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/api/health</c> (no auth), <c>/api/doctor</c> (the checks of <c>pipekit doctor</c>), <c>/api/settings</c> and
/// <c>/api/drivers</c>. The credential settings are neither shown nor changed here: <c>pipekit set-password</c> owns them.
/// </summary>
internal static class SystemApi
{
    public static RouteGroupBuilder MapSystemApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Health).WithTags("system").Unlimited();
        var group = routes.MapGroup("/api").WithTags("system");
        group.MapGet("/health", Health).Unlimited();
        group.MapGet("/doctor", Doctor).Unlimited();
        group.MapGet("/settings", Settings);
        group.MapGet("/settings/{key}", Setting).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/settings/{key}", SetSetting).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/drivers", Drivers);
        return group;
    }

    internal static Ok<HealthDto> Health() =>
        TypedResults.Ok(new HealthDto("ok", typeof(SystemApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"));

    internal static async Task<Ok<DoctorDto>> Doctor(Doctor doctor, CancellationToken ct)
    {
        var results = await doctor.RunAsync(ct);
        return TypedResults.Ok(new DoctorDto(results.All(r => r.Status != DoctorStatus.Fail), results.Select(DoctorCheckDto.From).ToList()));
    }

    internal static async Task<Ok<Page<SettingDto>>> Settings(SettingsRepository settings, CancellationToken ct) =>
        TypedResults.Ok(Page<SettingDto>.All((await settings.ListAsync(ct)).Where(s => !Credentials.IsCredentialKey(s.Key)).Select(SettingDto.From).ToList()));

    internal static async Task<Results<Ok<SettingDto>, ProblemHttpResult>> Setting(string key, SettingsRepository settings, CancellationToken ct)
    {
        if (Credentials.IsCredentialKey(key)) return Problems.NotFound($"setting '{key}'");
        var found = (await settings.ListAsync(ct)).FirstOrDefault(s => s.Key == key);
        return found is null ? Problems.NotFound($"setting '{key}'") : TypedResults.Ok(SettingDto.From(found));
    }

    internal static async Task<Ok<SettingDto>> SetSetting(string key, SettingInput input, SettingsRepository settings, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (Credentials.IsCredentialKey(key)) errors.Add("key", $"'{key}' holds the credentials; change them with 'pipekit set-password USER'");
        if (key.Length is 0 or > 200 || key.Any(char.IsControl) || key.Trim() != key)
            errors.Add("key", "must be 1-200 characters without control characters or surrounding spaces");
        if (input.Value is null) errors.Add("value", "is required");
        errors.ThrowIfAny();
        await settings.SetAsync(key, input.Value!, ct);
        return TypedResults.Ok(SettingDto.From((await settings.ListAsync(ct)).First(s => s.Key == key)));
    }

    internal static Ok<Page<DriverDto>> Drivers(DriverRegistry drivers) =>
        TypedResults.Ok(Page<DriverDto>.All(drivers.All.OrderBy(d => d.Kind, StringComparer.Ordinal).Select(DriverDto.From).ToList()));
}
