using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Check;

/// <summary>
/// The arithmetic of <c>check</c>: factors here/there with the conservative interval of two independent estimates,
/// and the verdict from the fingerprints and the factors. Fresh random inputs each run; the seed is in every message.
/// </summary>
public sealed class ReferenceComparisonTests
{
    private static readonly Fingerprint There = SampleProfiles.Random(3).Fingerprint with
    {
        Backend = "torch", BackendVersion = "libtorch 2.10.0", Device = "cpu", Threads = 2, DType = "float32",
        Machine = SuiteSamples.Machine(new Random(3)),
    };

    [Fact]
    public void A_factor_is_here_over_there_with_low_and_high_from_the_far_ends()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            var here = SuiteSamples.Case(rng, ReferenceCaseNames.Call).Latency;
            var there = SuiteSamples.Case(rng, ReferenceCaseNames.Call).Latency;

            var f = ReferenceFactor.Of(ReferenceCaseNames.Call, here, there);

            Assert.True(f.Value == here.Value.Nanoseconds / there.Value.Nanoseconds, $"seed {seed}: value");
            Assert.True(f.Low == here.Low!.Value.Nanoseconds / there.High!.Value.Nanoseconds, $"seed {seed}: low");
            Assert.True(f.High == here.High!.Value.Nanoseconds / there.Low!.Value.Nanoseconds, $"seed {seed}: high");
            Assert.True(f.Low <= f.Value && f.Value <= f.High, $"seed {seed}: {f} is not ordered");
        }
    }

    [Fact]
    public void The_same_suite_on_both_sides_applies_as_it_is()
    {
        int seed = SuiteSamples.FreshSeed();
        var suite = SuiteSamples.Suite(new Random(seed));

        var c = ReferenceComparison.Compare(There, suite, There with { Date = There.Date.AddDays(3) }, suite);

        Assert.True(c.Verdict == Applicability.AppliesAsIs, $"seed {seed}: {c.Reason}");
        Assert.All(c.Factors, f => Assert.True(f.Value == 1 && f.ContainsOne, $"seed {seed}: {f}"));
        Assert.Equal(3, c.Factors.Count);
        Assert.Empty(c.Differences);
    }

    [Fact]
    public void A_case_that_ran_another_way_there_gives_no_factor_and_makes_the_profile_stale()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        var here = SuiteSamples.Suite(rng);
        string name = rng.Next(2) == 0 ? ReferenceCaseNames.Call : ReferenceCaseNames.Compute;
        var there = here with { Cases = here.Cases.Select(c => c.Name == name ? c with { Description = c.Description + " (older case)" } : c).ToList() };

        var c = ReferenceComparison.Compare(There, there, There, here);

        Assert.True(c.Verdict == Applicability.Stale, $"seed {seed}: {c.Verdict}, {c.Reason}");
        Assert.Contains($"{name} reference case ran another way there", c.Reason);
        Assert.Contains("(older case)", c.Reason);
        Assert.Null(c.Factor(name));
        Assert.Single(c.Unmeasured, u => u.StartsWith(name + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void A_slower_machine_applies_after_transfer_with_its_factors()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        var there = SuiteSamples.Suite(rng);
        double callScale = 1.5 + 2 * rng.NextDouble(), computeScale = 0.2 + 0.4 * rng.NextDouble();
        var here = Scaled(there, (ReferenceCaseNames.Call, callScale), (ReferenceCaseNames.Compute, computeScale));

        var c = ReferenceComparison.Compare(There, there, There, here);

        Assert.True(c.Verdict == Applicability.AppliesAfterTransfer, $"seed {seed}: {c.Reason}");
        Assert.True(Math.Abs(c.Call!.Value / callScale - 1) < 1e-12, $"seed {seed}: call {c.Call} for ×{callScale}");
        Assert.True(Math.Abs(c.Compute!.Value / computeScale - 1) < 1e-12, $"seed {seed}: compute {c.Compute} for ×{computeScale}");
        Assert.True(c.Memory!.Agrees, $"seed {seed}: memory {c.Memory}");
        Assert.Contains("call", c.Reason);
        Assert.Contains("compute", c.Reason);
        Assert.DoesNotContain("memory", c.Reason);
    }

    [Fact]
    public void A_suite_timed_on_a_busy_machine_cannot_tell()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        var there = SuiteSamples.Suite(rng);
        // Here the matmul took up to 60 times longer than it can: its interval spans far more than any machine differs by.
        double slow = 2 + 58 * rng.NextDouble();
        var here = there with
        {
            Cases = there.Cases.Select(c => c.Name == ReferenceCaseNames.Compute
                ? c with { Latency = c.Latency with { Value = c.Latency.Value * slow, High = c.Latency.High!.Value * slow * 1.3 } }
                : c).ToList(),
        };

        var c = ReferenceComparison.Compare(There, there, There, here);

        Assert.True(c.Verdict == Applicability.CannotTell, $"seed {seed}: {c.Reason}");
        Assert.Contains("compute", c.Reason);
        Assert.Contains("busy", c.Reason);
    }

    [Theory]
    [InlineData(1.11, 1.15, false)]
    [InlineData(0.96, 1.04, true)]
    [InlineData(1.01, 1.099, true)]
    [InlineData(0.90, 1.20, true)]
    [InlineData(0.80, 0.899, false)]
    public void A_factor_agrees_when_its_interval_holds_1_or_lies_within_10_percent(double low, double high, bool agrees)
    {
        var f = new ReferenceFactor(ReferenceCaseNames.Compute, (low + high) / 2, low, high);
        Assert.Equal(agrees, f.Agrees);
    }

    [Theory]
    [InlineData("backend version")]
    [InlineData("backend")]
    [InlineData("device kind")]
    [InlineData("dtype")]
    [InlineData("thread count")]
    public void Another_software_stack_does_not_apply_and_names_what_differs(string what)
    {
        var suite = SuiteSamples.Suite(new Random(7));
        var here = what switch
        {
            "backend version" => There with { BackendVersion = "libtorch 2.11.0" },
            "backend" => There with { Backend = "onnx" },
            "device kind" => There with { Device = "cuda:0" },
            "dtype" => There with { DType = "float16" },
            _ => There with { Threads = 1 },
        };

        var c = ReferenceComparison.Compare(There, suite, here, suite);

        Assert.Equal(Applicability.DoesNotApply, c.Verdict);
        Assert.Contains($"another {what} (", c.Reason);
        Assert.Equal(3, c.Factors.Count);
    }

    [Fact]
    public void Another_device_of_the_same_kind_is_not_another_stack()
    {
        var suite = SuiteSamples.Suite(new Random(8));
        var cuda = There with { Device = "cuda:0" };

        var c = ReferenceComparison.Compare(cuda, suite, cuda with { Device = "cuda:1" }, Scaled(suite, (ReferenceCaseNames.Compute, 3)));

        Assert.Equal(Applicability.AppliesAfterTransfer, c.Verdict);
        Assert.Contains(c.Differences, d => d.Field == "device");
    }

    [Fact]
    public void A_profile_without_a_suite_is_stale_and_lists_every_detail_as_not_recorded()
    {
        var here = SuiteSamples.Suite(new Random(9));

        var c = ReferenceComparison.Compare(There with { Machine = null }, null, There, here);

        Assert.Equal(Applicability.Stale, c.Verdict);
        Assert.Contains("re-profile", c.Reason);
        Assert.Empty(c.Factors);
        Assert.Equal(There.Machine!.Fields().Count, c.Differences.Count(d => d.Field.StartsWith("machine.", StringComparison.Ordinal)));
        Assert.All(c.Differences, d => Assert.Equal(ReferenceComparison.NotRecorded, d.There));
    }

    [Fact]
    public void A_missing_case_makes_the_profile_stale_there_and_the_machine_unfit_here()
    {
        var suite = SuiteSamples.Suite(new Random(10));
        var withoutCall = suite with
        {
            Cases = suite.Cases.Where(c => c.Name != ReferenceCaseNames.Call).ToList(),
            Failures = [new ReferenceFailure(ReferenceCaseNames.Call, "NotSupportedException: no add")],
        };
        var withoutMemory = suite with
        {
            Cases = suite.Cases.Where(c => c.Name != ReferenceCaseNames.Memory).ToList(),
            Failures = [new ReferenceFailure(ReferenceCaseNames.Memory, "out of memory")],
        };

        var there = ReferenceComparison.Compare(There, withoutCall, There, suite);
        var here = ReferenceComparison.Compare(There, suite, There, withoutCall);
        var memory = ReferenceComparison.Compare(There, suite, There, withoutMemory);

        Assert.Equal(Applicability.Stale, there.Verdict);
        Assert.Contains("no add", there.Reason);
        Assert.Equal(Applicability.DoesNotApply, here.Verdict);
        Assert.Contains("cannot run the call reference case", here.Reason);
        Assert.Equal(Applicability.AppliesAsIs, memory.Verdict);
        Assert.Null(memory.Memory);
        Assert.Contains(memory.Unmeasured, u => u.Contains("out of memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Differences_name_the_detail_fields_with_both_values()
    {
        var suite = SuiteSamples.Suite(new Random(11));
        var here = There with { Machine = There.Machine! with { KernelRelease = "6.99", CpuFlags = [] }, LogicalCores = There.LogicalCores + 1 };

        var c = ReferenceComparison.Compare(There, suite, here, suite);

        Assert.Equal(Applicability.AppliesAsIs, c.Verdict);
        Assert.Contains(c.Differences, d => d.Field == "machine.kernelRelease" && d.There == There.Machine!.KernelRelease && d.Here == "6.99");
        Assert.Contains(c.Differences, d => d.Field == "machine.cpuFlags" && d.Here == "none");
        Assert.Contains(c.Differences, d => d.Field == "logicalCores");
        Assert.Equal(3, c.Differences.Count);
    }

    [Fact]
    public void A_wide_interval_is_flagged_as_uncertain()
    {
        Assert.True(new ReferenceFactor(ReferenceCaseNames.Compute, 0.5, 0.014, 0.725).Uncertain);
        Assert.False(new ReferenceFactor(ReferenceCaseNames.Compute, 1.6, 1.5, 1.7).Uncertain);
        var c = new ReferenceComparison(Applicability.AppliesAfterTransfer, "", [new ReferenceFactor(ReferenceCaseNames.Memory, 1, 0.2, 5)], [], []);
        Assert.Single(c.Cautions);
        Assert.Contains("memory", c.Cautions[0]);
    }

    [Fact]
    public void A_machine_that_cannot_open_the_backend_does_not_apply_or_is_stale()
    {
        var suite = SuiteSamples.Suite(new Random(12));
        Assert.Equal(Applicability.DoesNotApply, ReferenceComparison.Unavailable(There, suite, "no CUDA").Verdict);
        var stale = ReferenceComparison.Unavailable(There, null, "no CUDA");
        Assert.Equal(Applicability.Stale, stale.Verdict);
        Assert.Contains("no CUDA", stale.Reason);
    }

    // The suite with the named cases' latencies (value and interval) multiplied by their scales.
    private static ReferenceSuite Scaled(ReferenceSuite suite, params (string Name, double Scale)[] scales) => suite with
    {
        Cases = suite.Cases.Select(c => scales.FirstOrDefault(s => s.Name == c.Name) is { Name: not null } s
            ? c with { Latency = c.Latency with { Value = c.Latency.Value * s.Scale, Low = c.Latency.Low!.Value * s.Scale, High = c.Latency.High!.Value * s.Scale } }
            : c).ToList(),
    };
}
