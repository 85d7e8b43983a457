using NextEleven.Api.RateLimiting.Redis;

namespace NextEleven.Api.Tests.RateLimiting.Redis;

/// <summary>Connection strings that can reach a server, and those that never could.</summary>
[Trait("Category", "Unit")]
public sealed class RedisStoreOptionsValidatorTests
{
    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("localhost")]
    [InlineData("redis1:6379,redis2:6379,password=secret,ssl=true")]
    [InlineData("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002")]
    [InlineData("[::1]:6379")]
    [InlineData("::1")]
    [InlineData("redis.internal.example:6380,connectTimeout=500")]
    public void AUsableConnectionStringPasses(string connection) =>
        Assert.Null(RedisStoreOptionsValidator.ProblemOf(connection));

    [Theory]
    [InlineData("", "is set but blank")]
    [InlineData("   ", "is set but blank")]
    [InlineData("=,=", "an option without a name")]
    [InlineData("127.0.0.1:notaport,,==", "'127.0.0.1:notaport'")]
    [InlineData("host:notaport", "'host:notaport'")]
    [InlineData("127.0.0.1:0", "'127.0.0.1:0'")]
    [InlineData("127.0.0.1:65536", "'127.0.0.1:65536'")]
    [InlineData(",,,", "an empty part")]
    [InlineData("password=only", "names no server")]
    [InlineData("[::1", "'[::1'")]
    public void AConnectionStringThatCouldNeverReachAServerIsRefusedByName(string connection, string named)
    {
        var problem = RedisStoreOptionsValidator.ProblemOf(connection);

        Assert.NotNull(problem);
        Assert.StartsWith("ConnectionStrings:Redis", problem, StringComparison.Ordinal);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void APasswordIsNeverRepeatedInTheProblem()
    {
        var problem = RedisStoreOptionsValidator.ProblemOf("localhost:6379,password=hunter2-not-to-print,,");

        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }
}
