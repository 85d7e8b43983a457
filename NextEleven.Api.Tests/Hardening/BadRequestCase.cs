using System.Text;

namespace NextEleven.Api.Tests.Hardening;

/// <summary>
/// One bad or odd request and the status it must get. <see cref="RawPath"/> is sent as the server would
/// see it after decoding, without the client normalising it first, so path tricks arrive intact.
/// </summary>
public sealed record BadRequestCase(
    string Name,
    string Method,
    string RawPath,
    int ExpectedStatus,
    byte[]? Body = null,
    string? ContentType = "application/json",
    (string Name, string Value)[]? Headers = null,
    bool WithKey = true)
{
    public static BadRequestCase ChatJson(string name, string json, int expected, bool withKey = true) =>
        new(name, "POST", "/api/chat", expected, Encoding.UTF8.GetBytes(json), WithKey: withKey);

    public static BadRequestCase ChatBytes(string name, byte[] body, int expected) =>
        new(name, "POST", "/api/chat", expected, body);

    public static BadRequestCase Completions(string name, string json, int expected) =>
        new(name, "POST", "/api/v1/chat/completions", expected, Encoding.UTF8.GetBytes(json));

    /// <summary>A valid chat body sent without a valid key, however the key is (not) presented.</summary>
    public static BadRequestCase NoValidKey(string name, params (string Name, string Value)[] headers) =>
        new(name, "POST", "/api/chat", 401, Encoding.UTF8.GetBytes("""{"message":"Hello"}"""), Headers: headers, WithKey: false);

    /// <summary>A path trick sent without a key: whatever the path, no protected handler may run.</summary>
    public static BadRequestCase PathWithoutKey(string method, string rawPath, int expected = 401) =>
        new($"{method} {rawPath} without a key", method, rawPath, expected,
            method == "POST" ? Encoding.UTF8.GetBytes("""{"message":"Hello"}""") : null, WithKey: false);

    public override string ToString() => Name;
}
