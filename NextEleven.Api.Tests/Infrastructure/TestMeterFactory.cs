using System.Diagnostics.Metrics;

namespace NextEleven.Api.Tests.Infrastructure;

/// <summary>Meters for a unit under test without a host: each test gets its own, disposed with it.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(meter => meter.Dispose());
}
