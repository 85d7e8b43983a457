using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace NextEleven.Api.Providers;

/// <summary>
/// The OpenTelemetry GenAI conventions for one provider call: a <c>chat {model}</c> client span and the
/// <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c> histograms, on
/// <see cref="ChatRoutes.TelemetrySourceName"/>. Nothing is allocated while no listener samples the span
/// and no exporter reads the meter. Written here rather than taken from Microsoft.Extensions.AI's
/// <c>OpenTelemetryChatClient</c>, which keeps every update of a stream until it ends to describe it: a
/// long stream's pieces would stay in memory however slowly its client reads.
/// </summary>
internal static class ProviderTelemetry
{
    private static readonly ActivitySource Source = new(ChatRoutes.TelemetrySourceName);
    private static readonly Meter Meter = new(ChatRoutes.TelemetrySourceName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s",
        "Measures the duration of a GenAI operation", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
        });

    private static readonly Histogram<long> Tokens = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}",
        "Measures number of input and output tokens used", advice: new InstrumentAdvice<long>
        {
            HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304],
        });

    /// <summary>Starts timing and tracing one call; the returned operation is ended once, by <see cref="Operation.End"/>.</summary>
    public static Operation Start(string model, Uri endpoint, bool stream)
    {
        var activity = Source.StartActivity("chat " + model, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat")
                .SetTag("gen_ai.request.model", model)
                .SetTag("gen_ai.provider.name", "openai")
                .SetTag("gen_ai.request.stream", stream)
                .SetTag("server.address", endpoint.Host)
                .SetTag("server.port", endpoint.Port);
        }
        var timed = Duration.Enabled || Tokens.Enabled;
        return new Operation(activity, timed ? Stopwatch.GetTimestamp() : 0, model, endpoint);
    }

    /// <summary>One provider call being traced and timed.</summary>
    internal readonly struct Operation(Activity? activity, long started, string model, Uri endpoint)
    {
        /// <summary>Ends the call: what the provider answered, or the exception it ended with.</summary>
        public void End(string? responseModel, string? finishReason, UsageDetails? usage, Exception? error)
        {
            var errorType = error?.GetType().FullName;
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag("gen_ai.response.model", responseModel);
                    if (finishReason is not null)
                    {
                        activity.SetTag("gen_ai.response.finish_reasons", new[] { finishReason });
                    }
                    if (usage is not null)
                    {
                        activity.SetTag("gen_ai.usage.input_tokens", (int?)usage.InputTokenCount)
                            .SetTag("gen_ai.usage.output_tokens", (int?)usage.OutputTokenCount);
                    }
                    if (errorType is not null)
                    {
                        activity.SetTag("error.type", errorType).SetStatus(ActivityStatusCode.Error, error!.Message);
                    }
                }
                activity.Dispose();
            }
            if (started == 0)
            {
                return;
            }
            var tags = new TagList
            {
                { "gen_ai.operation.name", "chat" },
                { "gen_ai.request.model", model },
                { "gen_ai.provider.name", "openai" },
                { "server.address", endpoint.Host },
                { "server.port", endpoint.Port },
            };
            if (responseModel is not null)
            {
                tags.Add("gen_ai.response.model", responseModel);
            }
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            if (usage is not null && Tokens.Enabled)
            {
                if (usage.InputTokenCount is { } input)
                {
                    var inputTags = tags;
                    inputTags.Add("gen_ai.token.type", "input");
                    Tokens.Record(input, inputTags);
                }
                if (usage.OutputTokenCount is { } output)
                {
                    var outputTags = tags;
                    outputTags.Add("gen_ai.token.type", "output");
                    Tokens.Record(output, outputTags);
                }
            }
        }
    }
}
