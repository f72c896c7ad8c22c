using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;
using Profiler.Tests.Cli;
using static Profiler.Tests.Onnx.ProfileFixtures;

namespace Profiler.Tests.Measurement;

/// <summary><c>compare --estimators</c>: every candidate statistic's test-retest, from two runs' raw stores.</summary>
public sealed class EstimatorRetestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-retest-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void When_a_second_run_is_the_first_scaled_per_case_every_estimator_agrees_exactly_as_often_as_the_scales_say()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        double[] scales = [1.0, 1.015, 1.03, 1.08, 0.9];
        var counts = new int[scales.Length];
        using (var a = RawStore.Open(Path.Combine(folder, "a.raw.sqlite")))
        using (var b = RawStore.Open(Path.Combine(folder, "b.raw.sqlite")))
        {
            for (int c = 0; c < 40; c++)
            {
                int which = rng.Next(scales.Length);
                counts[which]++;
                for (int round = 0; round < 6; round++)
                {
                    var samples = Enumerable.Range(0, 6).Select(_ => 1000 * (c + 1) * (1 + 0.3 * rng.NextDouble())).ToArray();
                    a.CommitBurst($"case {c}", round, 10, samples, round == 5, false);
                    b.CommitBurst($"case {c}", round, 10, samples.Select(s => s * scales[which]).ToArray(), round == 5, false);
                }
            }
            // The same sentinel in both runs, so the drift-corrected rows scale alike too.
            for (int boundary = 0; boundary <= 6; boundary++)
            {
                var sentinel = new[] { 500 * (1 + 0.1 * rng.NextDouble()) };
                a.CommitSentinel(boundary, sentinel);
                b.CommitSentinel(boundary, sentinel);
            }
        }

        var rows = EstimatorRetest.Compare(Path.Combine(folder, "a.raw.sqlite"), Path.Combine(folder, "b.raw.sqlite"));

        double withinFive = (counts[0] + counts[1] + counts[2]) / 40.0, withinTwo = (counts[0] + counts[1]) / 40.0;
        Assert.Contains(rows, r => r.Estimator.StartsWith(LatencyEstimate.Name + " of all samples", StringComparison.Ordinal));
        Assert.All(rows, r =>
        {
            Assert.Equal(40, r.Cases);
            Assert.True(Math.Abs(withinFive - r.WithinFivePercent) < 1e-9, $"seed {seed}: {r.Estimator} {r.WithinFivePercent} within ±5%, expected {withinFive}");
            Assert.True(Math.Abs(withinTwo - r.WithinTwoPercent) < 1e-9, $"seed {seed}: {r.Estimator} {r.WithinTwoPercent} within ±2%, expected {withinTwo}");
        });
    }

    [Fact]
    public void Compare_with_estimators_but_no_raw_store_beside_a_profile_is_refused_in_one_line()
    {
        var a = Write(Path.Combine(folder, "a.profile.json"), Document("torch", "cpu", "cpu", [(Case(OperatorKind.Mlp, 64), 50)]));
        var b = Write(Path.Combine(folder, "b.profile.json"), Document("torch", "cpu", "cpu", [(Case(OperatorKind.Mlp, 64), 51)]));
        var result = CliProcess.Run("compare", a, b, "--estimators");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("no raw store", lines[0]);
        Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
        Assert.False(File.Exists(Path.Combine(folder, "a.raw.sqlite")), "a refused comparison must not create a store");
    }
}
