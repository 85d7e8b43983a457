using System.Text.Json;
using System.Text.Json.Serialization;

namespace NextEleven.Api.OpenAiCompat;

/// <summary>OpenAI's error object, used only in-band in a stream that has already started.</summary>
internal sealed record StreamError(StreamErrorDetail Error);

internal sealed record StreamErrorDetail(string Message, string Type);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StreamError))]
internal sealed partial class OpenAiErrorJson : JsonSerializerContext;
