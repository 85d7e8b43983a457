using System.Globalization;
using NextEleven.Api.Providers;

namespace NextEleven.Api.Chat;

/// <summary>Turns a provider failure into a chat failure, and logs what is safe to log of it.</summary>
internal static partial class ProviderErrors
{
    public const string CredentialsRefused =
        "The chat provider refused the server's credentials. The operator must check the provider key (GROK_API_KEY, XAI_API_KEY or Chat:ApiKey).";

    /// <summary>The chat failure for a provider failure, or null when the exception is not one (a bug: let it be a 500).</summary>
    public static ChatFailure? Classify(Exception exception, bool timedOut, ChatTarget target, ILogger logger)
    {
        var timeout = target.Timeout;
        if (timedOut)
        {
            Log.TimedOut(logger, timeout, target.Name);
            return new ChatFailure(ChatFailureKind.ProviderTimedOut,
                string.Create(CultureInfo.InvariantCulture, $"The chat provider did not answer within {timeout.TotalSeconds:0.###} seconds."));
        }
        if (exception is not ProviderException provider)
        {
            return null;
        }
        Log.Failed(logger, provider.Failure, provider.Status, provider.Code, target.Name);
        return provider.Failure switch
        {
            ProviderErrorKind.CredentialsRefused => Upstream502(CredentialsRefused),
            ProviderErrorKind.RateLimited => new ChatFailure(ChatFailureKind.ProviderUnavailable,
                "The chat provider is rate limiting this server. Try again later.", provider.RetryAfterSeconds),
            ProviderErrorKind.Unreachable => Upstream502("The chat provider could not be reached."),
            ProviderErrorKind.Malformed => Upstream502("The chat provider's answer could not be read."),
            _ => Upstream502(string.Create(CultureInfo.InvariantCulture, $"The chat provider failed (status {provider.Status}).")),
        };
    }

    private static ChatFailure Upstream502(string message) => new(ChatFailureKind.ProviderFailed, message);

    /// <summary>A stream still running when the process stops and its drain time is over.</summary>
    public static ChatFailure ShuttingDown(ILogger logger)
    {
        Log.EndedByShutdown(logger);
        return new ChatFailure(ChatFailureKind.ProviderUnavailable, "The server is shutting down; send the request again.");
    }

    /// <summary>A stream that ended without saying it had finished: closed early, not an event stream, or an error event inside it.</summary>
    public static ChatFailure UnfinishedStream(ILogger logger, string target)
    {
        Log.StreamUnfinished(logger, target);
        return Upstream502("The provider's stream ended before the reply was finished.");
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The chat provider failed: {Failure} (status {Status}, code {Code}, target {Target})")]
        public static partial void Failed(ILogger logger, ProviderErrorKind failure, int status, string code, string target);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The chat provider's stream ended without a finish reason ({Target}): reported to the client as a failure")]
        public static partial void StreamUnfinished(ILogger logger, string target);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A call was still running when the drain time ran out at shutdown: ended with an error (503, or an error event in a stream)")]
        public static partial void EndedByShutdown(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The chat provider did not answer within {Timeout} ({Target})")]
        public static partial void TimedOut(ILogger logger, TimeSpan timeout, string target);
    }
}
