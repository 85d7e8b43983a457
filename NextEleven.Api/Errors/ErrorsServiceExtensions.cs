using System.Text.Encodings.Web;

namespace NextEleven.Api.Errors;

/// <summary>Registers the error format.</summary>
internal static class ErrorsServiceExtensions
{
    public static IHostApplicationBuilder AddApiErrors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RouteMethodIndex>();
        // Every body is application/json, never HTML: escape only what JSON requires, so replies and
        // messages read as written ("don't", not "don\u0027t").
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        return builder;
    }
}
