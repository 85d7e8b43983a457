using System.Net;
using NextEleven.Api.Observability;
using NextEleven.Api.Tests.Chat;
using NextEleven.Api.Tests.Infrastructure;
using Serilog.Events;

namespace NextEleven.Api.Tests.Observability;

/// <summary>No log level or override writes a secret: every namespace at Verbose, a real provider call, every property read.</summary>
public sealed class SecretsInVerboseLogsTests : FakeProviderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithEveryNamespaceAtVerboseNeitherKeyReachesAnyLogProperty(bool stream)
    {
        Provider.Respond = stream ? Replies.Stream(["Hello", " there"]) : Replies.Json("Hello there");
        using var factory = FactoryFor(
            ("Serilog:MinimumLevel:Default", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Verbose"),
            ("Serilog:MinimumLevel:Override:Microsoft.Extensions.Http", "Verbose"),
            ("Serilog:MinimumLevel:Override:System", "Verbose"),
            ("Serilog:MinimumLevel:Override:System.Net.Http.HttpClient", "Verbose"));

        using var response = await factory.CreateClient(NextElevenApiFactory.TestApiKey)
            .SendAsync(HttpRequests.Chat(stream ? """{"message":"Hi","stream":true}""" : """{"message":"Hi"}"""));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The provider call was logged, at the levels that carry most detail.
        Assert.Contains(factory.Logs.Events, e => e.Level == LogEventLevel.Verbose
            && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Contains("LoggingChatClient", StringComparison.Ordinal));
        var everything = factory.Logs.RenderAll() + string.Join('\n', factory.Logs.Events
            .SelectMany(e => e.Properties.Select(p => $"{p.Key}={p.Value}")));
        Assert.DoesNotContain(ProviderKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(NextElevenApiFactory.TestApiKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void ACredentialHeaderLoggedAsAPropertyByAnyLibraryKeepsOnlyItsName()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Verbose, null, MessageTemplate.Empty,
        [
            new LogEventProperty("authorization", new ScalarValue("Bearer secret-value")),
            new LogEventProperty("X-API-Key", new SequenceValue([new ScalarValue("secret-value")])),
            new LogEventProperty("Accept", new ScalarValue("application/json")),
        ]);

        new CredentialPropertyRedactor().Enrich(logEvent, null!);

        Assert.Equal("\"[redacted]\"", logEvent.Properties["authorization"].ToString());
        Assert.Equal("\"[redacted]\"", logEvent.Properties["X-API-Key"].ToString());
        Assert.Equal("\"application/json\"", logEvent.Properties["Accept"].ToString());
    }
}
