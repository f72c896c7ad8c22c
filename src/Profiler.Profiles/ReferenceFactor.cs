using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// How much slower (above 1) or faster (below 1) one reference case runs here than on the profiled machine: the
/// ratio of the two estimates, here over there, with a conservative interval for two independent estimates. Each
/// side's 95% interval holds its true value, so the true ratio lies between here's low end over there's high end
/// and here's high end over there's low end whenever both do (at least 90% of the time, by the union bound).
/// </summary>
/// <param name="Case">The reference case (<see cref="ReferenceCaseNames"/>).</param>
/// <param name="Value">here / there of the estimates.</param>
/// <param name="Low">hereLow / thereHigh.</param>
/// <param name="High">hereHigh / thereLow.</param>
public sealed record ReferenceFactor(string Case, double Value, double Low, double High)
{
    /// <summary>
    /// How far a factor's interval may lie from 1 and still count as the same machine: ±10%. A suite's interval
    /// covers the samples of one run, not the level of the whole run, which moves between runs on one machine: by
    /// 1–4% here while the machine was calm (the test-retest of #18), and the per-call case by 18% between two runs
    /// minutes apart while other jobs shared it (×0.999, then ×0.821 with an interval of ±2%). The transfer is for
    /// machines that differ by more than that (1.7–2.9× in issue #23).
    /// </summary>
    public const double Tolerance = 0.10;

    /// <summary>The factor of case <paramref name="name"/> from its estimate here and there (both with intervals).</summary>
    public static ReferenceFactor Of(string name, LatencyEstimate here, LatencyEstimate there)
    {
        if (here.Low is not { } hereLow || here.High is not { } hereHigh || there.Low is not { } thereLow || there.High is not { } thereHigh)
            throw new ArgumentException($"{name}: a reference estimate without an interval cannot give a factor");
        return new ReferenceFactor(name,
            here.Value.Nanoseconds / there.Value.Nanoseconds,
            hereLow.Nanoseconds / thereHigh.Nanoseconds,
            hereHigh.Nanoseconds / thereLow.Nanoseconds);
    }

    /// <summary>True when the interval holds 1: no difference shown.</summary>
    public bool ContainsOne => Low <= 1 && 1 <= High;

    /// <summary>True when the whole interval lies within ±<see cref="Tolerance"/> of 1: any difference is small.</summary>
    public bool WithinTolerance => Low >= 1 - Tolerance && High <= 1 + Tolerance;

    /// <summary>True when this case shows no difference that matters: <see cref="ContainsOne"/> or <see cref="WithinTolerance"/>.</summary>
    public bool Agrees => ContainsOne || WithinTolerance;

    /// <summary>How wide an interval (high over low) may be before the factor is called uncertain.</summary>
    public const double UncertainSpread = 1.5;

    /// <summary>
    /// True when the interval spans more than <see cref="UncertainSpread"/>: one of the two suites ran on a busy
    /// machine, and the point factor may be far off.
    /// </summary>
    public bool Uncertain => High / Low > UncertainSpread;

    /// <summary>"×1.62 (1.55–1.70)".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"×{Value:0.000} ({Low:0.000}–{High:0.000})");
}

/// <summary>One fingerprint field that differs between the profiled machine and this one.</summary>
/// <param name="Field">The field's name as the profile file spells it (machine details under "machine.").</param>
/// <param name="There">Its value in the profile ("(not recorded)" where the profile has none).</param>
/// <param name="Here">Its value here.</param>
public sealed record FingerprintDifference(string Field, string There, string Here);
