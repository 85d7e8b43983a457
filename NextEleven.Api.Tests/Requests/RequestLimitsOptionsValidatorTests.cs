using NextEleven.Api.Requests;

namespace NextEleven.Api.Tests.Requests;

/// <summary>Request limits out of range are refused at start, each naming its setting: no host.</summary>
[Trait("Category", "Unit")]
public sealed class RequestLimitsOptionsValidatorTests
{
    [Fact]
    public void TheDefaultsPass() =>
        Assert.True(new RequestLimitsOptionsValidator().Validate(null, new RequestLimitsOptions()).Succeeded);

    [Fact]
    public void EveryValueOutOfRangeIsNamedInTheOrderOfTheSection()
    {
        var result = new RequestLimitsOptionsValidator().Validate(null, new RequestLimitsOptions
        {
            MaxRequestBodyBytes = 1_023,
            MaxRequestHeadersBytes = 2 * 1024 * 1024,
            MaxMessageLength = 0,
            MaxHistoryMessages = -1,
        });

        Assert.Equal(
        [
            "Limits:MaxRequestBodyBytes must be from 1024 to 67108864.",
            "Limits:MaxRequestHeadersBytes must be from 1024 to 1048576.",
            "Limits:MaxMessageLength must be from 1 to 1000000.",
            "Limits:MaxHistoryMessages must be from 0 to 10000.",
        ], result.Failures);
    }
}
