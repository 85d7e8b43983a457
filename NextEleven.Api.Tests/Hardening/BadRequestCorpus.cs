using System.Text;
using NextEleven.Api.Tests.Infrastructure;
using static NextEleven.Api.Tests.Hardening.BadRequestCase;

namespace NextEleven.Api.Tests.Hardening;

/// <summary>
/// The bad-input corpus: every case is a request a prober, a fuzzer or a buggy client sends. Add a line
/// to extend it; <see cref="BadRequestCorpusTests"/> holds every case to the contract.
/// </summary>
public static class BadRequestCorpus
{
    public const string AttemptedKey = "corpus-attempted-key-0123456789abcdef0123456789";
    private const string Key = NextElevenApiFactory.TestApiKey;

    public static IEnumerable<BadRequestCase> All() =>
        [.. MalformedJson(), .. WrongTypes(), .. Values(), .. Encodings(), .. Sizes(), .. ContentTypes(), .. Methods(), .. Keys(), .. PathTricks(), .. OpenAiSurface()];

    private static IEnumerable<BadRequestCase> MalformedJson() =>
    [
        ChatJson("truncated object", """{"message":"Hello""", 400),
        ChatJson("truncated string", """{"message":"Hel""", 400),
        ChatJson("truncated after colon", """{"message":""", 400),
        ChatJson("only an opening brace", "{", 400),
        ChatJson("missing colon", """{"message" "Hello"}""", 400),
        ChatJson("trailing comma", """{"message":"Hello",}""", 400),
        ChatJson("single quotes", "{'message':'Hello'}", 400),
        ChatJson("unquoted name", """{message:"Hello"}""", 400),
        ChatJson("comment", """{"message":"Hello" /* hi */}""", 400),
        ChatJson("trailing garbage", """{"message":"Hello"} x""", 400),
        ChatJson("two objects", """{"message":"a"}{"message":"b"}""", 400),
        ChatJson("plain text", "Hello", 400),
        ChatJson("empty body", "", 400),
        ChatJson("whitespace body", "   \n ", 400),
        ChatJson("bare null", "null", 400),
        ChatJson("bare array", """["Hello"]""", 400),
        ChatJson("bare string", "\"Hello\"", 400),
        ChatJson("bare number", "42", 400),
        ChatJson("NaN literal", """{"message":"x","temperature":NaN}""", 400),
        ChatJson("hex number", """{"message":"x","maxTokens":0x10}""", 400),
        ChatJson("leading zeros", """{"message":"x","maxTokens":010}""", 400),
        ChatJson("unterminated escape", """{"message":"\"}""", 400),
        ChatJson("bad escape", """{"message":"\q"}""", 400),
        ChatJson("duplicate message", """{"message":"a","message":"b"}""", 400),
        ChatJson("duplicate with other case", """{"message":"a","Message":"b"}""", 400),
    ];

    private static IEnumerable<BadRequestCase> WrongTypes() =>
    [
        ChatJson("message as number", """{"message":5}""", 400),
        ChatJson("message as true", """{"message":true}""", 400),
        ChatJson("message as object", """{"message":{"text":"Hello"}}""", 400),
        ChatJson("message as array", """{"message":["Hello"]}""", 400),
        ChatJson("message as null", """{"message":null}""", 400),
        ChatJson("message missing", """{"history":[]}""", 400),
        ChatJson("history as string", """{"message":"x","history":"earlier"}""", 400),
        ChatJson("history as object", """{"message":"x","history":{"role":"user"}}""", 400),
        ChatJson("history of strings", """{"message":"x","history":["earlier"]}""", 400),
        ChatJson("history of nulls", """{"message":"x","history":[null]}""", 400),
        ChatJson("history role as number", """{"message":"x","history":[{"role":1,"content":"y"}]}""", 400),
        ChatJson("history role missing", """{"message":"x","history":[{"content":"y"}]}""", 400),
        ChatJson("history role unknown", """{"message":"x","history":[{"role":"tool","content":"y"}]}""", 400),
        ChatJson("history role in capitals", """{"message":"x","history":[{"role":"USER","content":"y"}]}""", 400),
        ChatJson("history content as array", """{"message":"x","history":[{"role":"user","content":["y"]}]}""", 400),
        ChatJson("history content null", """{"message":"x","history":[{"role":"user","content":null}]}""", 400),
        ChatJson("history content blank", """{"message":"x","history":[{"role":"user","content":"  "}]}""", 400),
        ChatJson("model as number", """{"message":"x","model":4}""", 400),
        ChatJson("model not allowed", """{"message":"x","model":"gpt-expensive"}""", 400),
        ChatJson("model as array", """{"message":"x","model":["a"]}""", 400),
        ChatJson("stream as string", """{"message":"x","stream":"yes"}""", 400),
        ChatJson("stream as number", """{"message":"x","stream":1}""", 400),
        ChatJson("temperature as string", """{"message":"x","temperature":"hot"}""", 400),
        ChatJson("temperature negative", """{"message":"x","temperature":-0.1}""", 400),
        ChatJson("temperature too high", """{"message":"x","temperature":2.01}""", 400),
        ChatJson("maxTokens as string", """{"message":"x","maxTokens":"10"}""", 400),
        ChatJson("maxTokens fractional", """{"message":"x","maxTokens":1.5}""", 400),
        ChatJson("maxTokens zero", """{"message":"x","maxTokens":0}""", 400),
        ChatJson("maxTokens overflowing int", """{"message":"x","maxTokens":99999999999}""", 400),
        ChatJson("maxTokens above the cap", """{"message":"x","maxTokens":1000000}""", 400),
    ];

    private static IEnumerable<BadRequestCase> Values() =>
    [
        ChatJson("blank message", """{"message":""}""", 400),
        ChatJson("whitespace message", """{"message":" \t\n "}""", 400),
        ChatJson("message over the length limit", $$"""{"message":"{{new string('a', 32_001)}}"}""", 400),
        ChatJson("too much history", $$"""{"message":"x","history":[{{string.Join(',', Enumerable.Repeat("""{"role":"user","content":"y"}""", 101))}}]}""", 400),
        ChatJson("deeply nested history", $$"""{"message":"x","history":{{new string('[', 200)}}{{new string(']', 200)}}}""", 400),
        ChatJson("deeply nested document", new string('[', 5_000) + new string(']', 5_000), 400),
        ChatJson("deep object in an unknown field", $$"""{"message":"x","extra":{{string.Concat(Enumerable.Repeat("""{"a":""", 100))}}1{{new string('}', 100)}}}""", 400),
        ChatJson("escaped NUL in message is text", """{"message":"a\u0000b"}""", 200),
        ChatJson("unknown fields are ignored", """{"message":"x","unknown":{"nested":[1,2,3]}}""", 200),
        ChatJson("stream null means not streaming", """{"message":"x","stream":null}""", 200),
        ChatJson("emoji and right-to-left text", """{"message":"héllo 👋 مرحبا"}""", 200),
    ];

    private static IEnumerable<BadRequestCase> Encodings() =>
    [
        ChatBytes("invalid UTF-8 continuation", [.. "{\"message\":\""u8, 0xC3, 0x28, .. "\"}"u8], 400),
        ChatBytes("overlong UTF-8 slash", [.. "{\"message\":\""u8, 0xC0, 0xAF, .. "\"}"u8], 400),
        ChatBytes("UTF-8 surrogate bytes", [.. "{\"message\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8], 400),
        ChatBytes("lone 0xFF byte", [.. "{\"message\":\""u8, 0xFF, .. "\"}"u8], 400),
        ChatBytes("raw NUL byte in a string", [.. "{\"message\":\"a"u8, 0x00, .. "b\"}"u8], 400),
        ChatBytes("raw control character in a string", [.. "{\"message\":\"a"u8, 0x01, .. "\"}"u8], 400),
        ChatBytes("UTF-16 body", Encoding.Unicode.GetBytes("""{"message":"Hello"}"""), 400),
        ChatJson("lone high surrogate", """{"message":"\ud800"}""", 400),
        ChatJson("lone low surrogate", """{"message":"\udfff"}""", 400),
        ChatJson("reversed surrogate pair", """{"message":"\udc00\ud800"}""", 400),
        ChatJson("lone surrogate in history", """{"message":"x","history":[{"role":"user","content":"\ud83d"}]}""", 400),
        ChatJson("lone surrogate in a property name", """{"\ud800":"x","message":"y"}""", 400),
    ];

    private static IEnumerable<BadRequestCase> Sizes() =>
    [
        ChatBytes("body over the size limit", Encoding.UTF8.GetBytes($$"""{"message":"{{new string('a', 1_100_000)}}"}"""), 413),
        new("headers over the size limit", "POST", "/api/chat", 431, Encoding.UTF8.GetBytes("""{"message":"x"}"""),
            Headers: [("X-Padding", new string('a', 40_000))]),
        new("headers over the size limit without a key", "GET", "/api/nope", 431,
            Headers: [("X-Padding", new string('a', 40_000))], WithKey: false),
        new("very long unknown path", "GET", "/api/" + new string('a', 8_000), 404),
        new("very long query string", "POST", "/api/chat?" + new string('q', 8_000), 200, Encoding.UTF8.GetBytes("""{"message":"x"}""")),
    ];

    private static IEnumerable<BadRequestCase> ContentTypes() =>
    [
        new("text/plain body", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("""{"message":"x"}"""), "text/plain"),
        new("form body", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("message=x"), "application/x-www-form-urlencoded"),
        new("multipart body", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("--b\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"),
        new("xml body", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("<message>x</message>"), "application/xml"),
        new("no content type", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("""{"message":"x"}"""), null),
        new("garbage content type", "POST", "/api/chat", 415, Encoding.UTF8.GetBytes("""{"message":"x"}"""), "not a media type"),
        new("json with charset", "POST", "/api/chat", 200, Encoding.UTF8.GetBytes("""{"message":"x"}"""), "application/json; charset=utf-8"),
        new("json in capitals", "POST", "/api/chat", 200, Encoding.UTF8.GetBytes("""{"message":"x"}"""), "APPLICATION/JSON"),
        new("a +json media type", "POST", "/api/chat", 200, Encoding.UTF8.GetBytes("""{"message":"x"}"""), "application/vnd.nexteleven+json"),
        new("no content type and no body", "POST", "/api/chat", 415, null, null),
    ];

    private static readonly string[] NotChatMethods = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD"];
    private static readonly string[] NotStatusMethods = ["POST", "PUT", "DELETE"];

    private static IEnumerable<BadRequestCase> Methods() =>
    [
        .. NotChatMethods
            .Select(method => new BadRequestCase($"{method} /api/chat", method, "/api/chat", 405, ContentType: null)),
        .. NotStatusMethods
            .Select(method => new BadRequestCase($"{method} env-status", method, "/api/system/env-status", 405, ContentType: null)),
        new("POST models", "POST", "/api/v1/models", 405, ContentType: null),
        new("GET completions", "GET", "/api/v1/chat/completions", 405, ContentType: null),
        new("made-up method", "BREW", "/api/chat", 405, ContentType: null),
    ];

    private static IEnumerable<BadRequestCase> Keys() =>
    [
        NoValidKey("no key at all"),
        NoValidKey("empty X-API-Key", ("X-API-Key", "")),
        NoValidKey("whitespace X-API-Key", ("X-API-Key", "   ")),
        NoValidKey("Bearer without a token", ("Authorization", "Bearer")),
        NoValidKey("Bearer with only spaces", ("Authorization", "Bearer     ")),
        NoValidKey("Basic scheme", ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Key)))),
        NoValidKey("Token scheme", ("Authorization", "Token " + Key)),
        NoValidKey("key without a scheme", ("Authorization", Key)),
        NoValidKey("Bearer glued to the key", ("Authorization", "Bearer" + Key)),
        NoValidKey("wrong key", ("X-API-Key", AttemptedKey)),
        NoValidKey("wrong Bearer key", ("Authorization", "Bearer " + AttemptedKey)),
        NoValidKey("key in other case", ("X-API-Key", Key.ToUpperInvariant())),
        NoValidKey("key prefix", ("X-API-Key", Key[..^1])),
        NoValidKey("key with a suffix", ("X-API-Key", Key + "0")),
        NoValidKey("very long key", ("X-API-Key", new string('k', 16_000))),
        NoValidKey("duplicate X-API-Key, both valid", ("X-API-Key", Key), ("X-API-Key", Key)),
        NoValidKey("duplicate X-API-Key, one valid", ("X-API-Key", AttemptedKey), ("X-API-Key", Key)),
        NoValidKey("duplicate Authorization", ("Authorization", "Bearer " + Key), ("Authorization", "Bearer " + Key)),
        NoValidKey("wrong X-API-Key hides a valid Bearer", ("X-API-Key", AttemptedKey), ("Authorization", "Bearer " + Key)),
        NoValidKey("key in a cookie", ("Cookie", "X-API-Key=" + Key)),
        NoValidKey("key in a look-alike header", ("X-Api-Key-Backup", Key)),
        NoValidKey("key with a NUL inside", ("X-API-Key", Key[..10] + "\0" + Key[10..])),
        new("key in the query string", "POST", "/api/chat?api_key=" + Key, 401, Encoding.UTF8.GetBytes("""{"message":"x"}"""), WithKey: false),
        new("malformed JSON without a key is 401, not 400", "POST", "/api/chat", 401, Encoding.UTF8.GetBytes("{"), WithKey: false),
        new("oversized body without a key is 401, not 413", "POST", "/api/chat", 401, new byte[1_100_000], WithKey: false),
        new("wrong content type without a key is 401, not 415", "POST", "/api/chat", 401, Encoding.UTF8.GetBytes("x"), "text/plain", WithKey: false),
    ];

    private static IEnumerable<BadRequestCase> PathTricks() =>
    [
        PathWithoutKey("POST", "/API/CHAT"),
        PathWithoutKey("POST", "/Api/Chat"),
        PathWithoutKey("POST", "/api/chat/"),
        PathWithoutKey("POST", "/api//chat"),
        PathWithoutKey("POST", "/api/./chat"),
        PathWithoutKey("POST", "/api/system/../chat"),
        PathWithoutKey("POST", "/api/system/env-status/../../chat"),
        PathWithoutKey("POST", "/api/%63hat"),
        PathWithoutKey("POST", "/api/chat%2F"),
        PathWithoutKey("POST", "/api/chat%00"),
        PathWithoutKey("POST", "/api/chat;jsessionid=1"),
        PathWithoutKey("POST", "/api/v1/chat/completions"),
        PathWithoutKey("GET", "/api/v1/models"),
        PathWithoutKey("GET", "/api"),
        PathWithoutKey("GET", "/api/"),
        PathWithoutKey("GET", "/api/system"),
        PathWithoutKey("GET", "/api/system/env-status-x"),
        PathWithoutKey("GET", "/api/system/env-statusx"),
        PathWithoutKey("GET", "/api/system/env-status/extra"),
        PathWithoutKey("GET", "/api/system/env-status/.."),
        PathWithoutKey("GET", "/api/system/env-status%2F..%2Fchat"),
        PathWithoutKey("GET", "/api/system/env-status%00"),
        PathWithoutKey("GET", "/api/system/env-status;x"),
        PathWithoutKey("GET", "/api/system/./env-status-x"),
        PathWithoutKey("GET", "/api/system%2Fenv-status"),
        PathWithoutKey("GET", "/api/system/env%2Dstatus", 200),
        PathWithoutKey("GET", "/API/SYSTEM/ENV-STATUS", 200),
        PathWithoutKey("GET", "/api/system/env-status/", 200),
        PathWithoutKey("GET", "/api/ch%C3%A4t"),
        PathWithoutKey("GET", "//api/chat", 404),
        PathWithoutKey("GET", "/apichat", 404),
        // Not under /api as the service sees it (Kestrel itself would first resolve it to /api/chat: a 401).
        PathWithoutKey("GET", "/swagger/../api/chat", 404),
    ];

    private static IEnumerable<BadRequestCase> OpenAiSurface() =>
    [
        Completions("completions without messages", """{"model":"nexteleven-offline-echo"}""", 400),
        Completions("completions with empty messages", """{"messages":[]}""", 400),
        Completions("completions with a tool role", """{"messages":[{"role":"tool","content":"x"}]}""", 400),
        Completions("completions with image content", """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", 400),
        Completions("completions with numeric content", """{"messages":[{"role":"user","content":1}]}""", 400),
        Completions("completions with messages as a string", """{"messages":"hi"}""", 400),
        Completions("completions with null message", """{"messages":[null]}""", 400),
        Completions("completions with an unknown model", """{"model":"gpt-x","messages":[{"role":"user","content":"x"}]}""", 400),
        Completions("completions with max_tokens zero", """{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""", 400),
        Completions("completions malformed", """{"messages":[""", 400),
    ];
}
