using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipekit.Server.Api;

/// <summary>
/// The <c>{id:long}</c> of every route: ASCII digits only. The framework's own constraint parses with
/// <c>long.TryParse</c>, which takes surrounding white space and a sign, so <c>/api/modules/1%20</c> opened module 1;
/// here it matches no route (404). Registered under the name <c>long</c>, so every route gets it.
/// </summary>
internal sealed class RouteIdConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        if (!values.TryGetValue(routeKey, out var value) || value is null) return false;
        if (value is long) return true;
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        return IsId(text);
    }

    /// <summary>True for 1 to 19 ASCII digits that fit a 64-bit id.</summary>
    public static bool IsId(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 19 && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
