using Profiler.Core;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// A profile's reference suite as a surrogate file holds it: plain numbers in microseconds, so the file stays
/// readable by any version that knows the schema. Converts to and from <see cref="ReferenceSuite"/>, whose rules
/// (<see cref="ReferenceSuite.FindProblem"/>) it is checked by when a surrogate is loaded.
/// </summary>
/// <param name="Cases">The cases that ran.</param>
/// <param name="Failures">The cases that could not run, with their reasons.</param>
public sealed record SurrogateReference(IReadOnlyList<SurrogateReferenceCase> Cases, IReadOnlyList<ReferenceFailure> Failures)
{
    /// <summary>The file form of <paramref name="suite"/>; null for none.</summary>
    public static SurrogateReference? From(ReferenceSuite? suite) => suite is null ? null : new(
        suite.Cases.Select(c => new SurrogateReferenceCase(c.Name, c.Description, c.Latency.Value.Microseconds,
            c.Latency.Low?.Microseconds ?? double.NaN, c.Latency.High?.Microseconds ?? double.NaN, c.Latency.Count,
            c.InvocationsPerIteration, c.Flops, c.Bytes)).ToList(),
        suite.Failures.ToList());

    /// <summary>The suite these numbers describe (not checked: see <see cref="ReferenceSuite.FindProblem"/>).</summary>
    public ReferenceSuite ToSuite() => new()
    {
        Cases = Cases.Select(c => new ReferenceCase(c.Name, c.Description,
            new LatencyEstimate(Latency.FromMicroseconds(c.LatencyUs), Latency.FromMicroseconds(c.LatencyLowUs), Latency.FromMicroseconds(c.LatencyHighUs), c.Samples),
            c.InvocationsPerIteration, c.Flops, c.Bytes)).ToList(),
        Failures = Failures,
    };
}

/// <summary>One measured reference case in a surrogate file.</summary>
/// <param name="Name">The case (<see cref="ReferenceCaseNames"/>).</param>
/// <param name="Description">What ran.</param>
/// <param name="LatencyUs">The estimate (p10) of one invocation, microseconds.</param>
/// <param name="LatencyLowUs">Lower end of its 95% interval.</param>
/// <param name="LatencyHighUs">Upper end of its 95% interval.</param>
/// <param name="Samples">Samples it was taken over.</param>
/// <param name="InvocationsPerIteration">Invocations per sample.</param>
/// <param name="Flops">FLOPs of one invocation.</param>
/// <param name="Bytes">Bytes of one invocation.</param>
public sealed record SurrogateReferenceCase(string Name, string Description, double LatencyUs, double LatencyLowUs, double LatencyHighUs,
    int Samples, int InvocationsPerIteration, double Flops, double Bytes);
