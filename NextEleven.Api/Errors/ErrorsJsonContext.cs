using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.Errors;

/// <summary>The error bodies' JSON, source-generated.</summary>
[JsonSerializable(typeof(ApiErrorBody))]
[JsonSerializable(typeof(OpenAiErrorBody))]
internal sealed partial class ErrorsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Web defaults with only the escaping JSON needs: error messages quote field names ('message'),
    /// and the bodies are application/json, never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ErrorsJsonContext Relaxed { get; } = new(CreateOptions());
}
