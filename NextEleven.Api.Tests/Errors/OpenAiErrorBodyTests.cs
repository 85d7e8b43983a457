using NextEleven.Api.Errors;

namespace NextEleven.Api.Tests.Errors;

/// <summary>The contract's errors translated into OpenAI's error object.</summary>
[Trait("Category", "Unit")]
public sealed class OpenAiErrorBodyTests
{
    [Theory]
    [InlineData(400, "Invalid request", "invalid_request_error", "invalid_request")]
    [InlineData(401, "Authentication required", "authentication_error", "authentication_required")]
    [InlineData(401, "Invalid API key", "authentication_error", "invalid_api_key")]
    [InlineData(403, "Forbidden", "permission_error", "forbidden")]
    [InlineData(404, "Not found", "not_found_error", "not_found")]
    [InlineData(413, "Payload too large", "invalid_request_error", "payload_too_large")]
    [InlineData(429, "Rate limit exceeded", "rate_limit_error", "rate_limit_exceeded")]
    [InlineData(502, "Upstream error", "api_error", "upstream_error")]
    [InlineData(503, "Upstream unavailable", "api_error", "upstream_unavailable")]
    [InlineData(504, "Upstream timeout", "api_error", "upstream_timeout")]
    public void EachStatusHasOpenAisTypeAndTheErrorInSnakeCase(int status, string error, string type, string code)
    {
        var body = OpenAiErrorBody.For(status, error, "What went wrong.", "req-1", null);

        Assert.Equal(type, body.Error.Type);
        Assert.Equal(code, body.Error.Code);
        Assert.Equal("What went wrong.", body.Error.Message);
        Assert.Equal("req-1", body.RequestId);
    }

    [Theory]
    [InlineData("Field 'messages[0].content' must be a string.", "messages[0].content")]
    [InlineData("Field 'max_tokens' must be an integer from 1 to 32768.", "max_tokens")]
    [InlineData("The request body is not valid JSON: at line 1.", null)]
    [InlineData("Field '' is odd.", null)]
    public void ParamIsTheFieldTheMessageNames(string message, string? param) =>
        Assert.Equal(param, OpenAiErrorBody.For(400, "Invalid request", message, "req-1", null).Error.Param);

    [Fact]
    public void RetryAfterTravelsBesideTheErrorObject() =>
        Assert.Equal(17, OpenAiErrorBody.For(429, "Rate limit exceeded", "Slow down.", "req-1", 17).RetryAfter);
}
