using Profiler.Core;
using Profiler.Measurement.Backends;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Times one burst of a prepared case: fresh inputs, warm-up, (first time only) a pilot that fixes the invocations
/// per iteration, settled GC, then iterations, each one synchronised before the clock is read.
/// </summary>
public sealed class BurstTimer(EngineSettings settings, IClock clock)
{
    /// <summary>Most invocations per iteration; a case faster than IterationTarget / this is timer-bound anyway.</summary>
    public const int MaxInvocations = 100_000;

    /// <summary>
    /// Runs warm-up and returns the invocations per iteration that make one iteration about
    /// <see cref="EngineSettings.IterationTarget"/> long.
    /// </summary>
    public int WarmUp(ICaseRunner runner, bool pilot, Latency? warmup = null)
    {
        runner.RefreshInputs();
        // Collect before the warm-up, not between it and the timing: a collection there evicts the caches and lets
        // the OpenMP workers fall asleep, and the first timed iteration then ran 20-70% slow.
        SettleGarbageCollector();
        long start = clock.Now();
        int count = 0;
        double warmupTicks = (warmup ?? settings.WarmupTime).Seconds * clock.TicksPerSecond;
        do
        {
            runner.Invoke();
            count++;
        }
        while (count < 2 || clock.Now() - start < warmupTicks);
        runner.Synchronize();
        if (!pilot) return 0;

        // Pilot: invocations timed back to back until a tenth of the target has passed.
        double pilotTicks = Math.Max(settings.IterationTarget.Seconds * clock.TicksPerSecond / 10, 1);
        int pilotCount = 0;
        long t0 = clock.Now();
        long elapsed;
        do
        {
            runner.Invoke();
            pilotCount++;
            runner.Synchronize();
            elapsed = clock.Now() - t0;
        }
        while (elapsed < pilotTicks && pilotCount < MaxInvocations);
        double perInvocation = Math.Max(elapsed, 1) / (double)pilotCount;
        double wanted = settings.IterationTarget.Seconds * clock.TicksPerSecond / perInvocation;
        return (int)Math.Clamp(Math.Ceiling(wanted), 1, MaxInvocations);
    }

    /// <summary>Times <paramref name="iterations"/> iterations of <paramref name="invocations"/> each; nanoseconds per invocation.</summary>
    public double[] Time(ICaseRunner runner, int invocations, int iterations)
    {
        var samples = new double[iterations];
        double nsPerTick = 1e9 / clock.TicksPerSecond;
        for (int i = 0; i < iterations; i++)
        {
            runner.Synchronize();
            long start = clock.Now();
            for (int j = 0; j < invocations; j++) runner.Invoke();
            runner.Synchronize();
            long stop = clock.Now();
            samples[i] = Math.Max(stop - start, 1) * nsPerTick / invocations;
        }
        return samples;
    }

    /// <summary>Warm-up, pilot and a fixed number of iterations: for ceilings and the sentinel.</summary>
    public double[] Measure(ICaseRunner runner, int iterations, Latency? warmup = null)
    {
        int invocations = WarmUp(runner, pilot: true, warmup);
        return Time(runner, invocations, iterations);
    }

    private static void SettleGarbageCollector()
    {
        // Collect now so that a collection of earlier garbage does not land inside a timed iteration, and run the
        // finalisers that free the last burst's native tensors. The young generations hold that garbage; a full
        // collection cost 2.6 ms a burst (a fifth of a tiny profile's wall time), and a collection that still lands in
        // an iteration only slows that one sample, which the low-quantile estimate passes over.
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
    }
}
