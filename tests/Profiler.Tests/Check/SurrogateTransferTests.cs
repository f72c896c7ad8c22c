using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Models;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;
using Profiler.Tests.CostModel;
using Profiler.Tests.Profiles;
using static TorchSharp.torch;

namespace Profiler.Tests.Check;

/// <summary>
/// Transfer splits each prediction into its per-call part (the linear part's constant) and its work part and scales
/// each by its factor; factors (1, 1) change nothing, gradients still flow, and the profile's suite travels in the
/// surrogate file without touching the files written before it.
/// </summary>
public sealed class SurrogateTransferTests
{
    private static string Published => Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json");

    private static readonly CaseShape Attention = CaseShape.For(new ModelKey(OperatorKind.Attention), Preset.Tiny.Shape, 1);

    private static OperatorCostModel Linear(double bias, double flopsWeight) => new()
    {
        Regressor = "linear",
        Linear = new LinearCost { BiasUs = bias, Weights = flopsWeight == 0 ? new Dictionary<string, double>() : new Dictionary<string, double> { ["flops"] = flopsWeight } },
    };

    [Fact]
    public void Factors_one_and_one_give_identical_predictions_for_every_published_model()
    {
        var surrogate = LatencySurrogate.Load(Published);
        var same = SurrogateTransfer.Apply(surrogate, TransferFactors.Identity);
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        using var scope = NewDisposeScope();
        foreach (var key in surrogate.Keys)
        {
            var shape = CaseShape.For(key, Preset.Tiny.Shape, 1);
            var n = Enumerable.Range(0, 16).Select(_ => 4 + 300 * rng.NextDouble()).ToArray();
            var k = n.Select(x => Math.Max(1, x * (0.1 + 0.9 * rng.NextDouble()))).ToArray();
            using var a = surrogate.Operator(key, shape);
            using var b = same.Operator(key, shape);
            var original = a.forward(tensor(n, dtype: float64), tensor(k, dtype: float64)).data<double>().ToArray();
            var transferred = b.forward(tensor(n, dtype: float64), tensor(k, dtype: float64)).data<double>().ToArray();
            Assert.True(original.SequenceEqual(transferred), $"seed {seed}: {key.Name} changed under factors (1, 1)");
        }
    }

    [Fact]
    public void A_constant_only_model_scales_by_the_per_call_factor_and_one_without_a_constant_by_the_work_factor()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        double a = 0.2 + 3 * rng.NextDouble(), b = 0.2 + 3 * rng.NextDouble(), bias = 1 + 100 * rng.NextDouble(), weight = 1e-6 * (1 + rng.NextDouble());
        var factors = new TransferFactors(a, b);
        using var scope = NewDisposeScope();
        var n = tensor(Enumerable.Range(1, 20).Select(i => 8.0 * i).ToArray(), dtype: float64);

        foreach (var (model, scale, what) in new[] { (Linear(bias, 0), a, "constant only"), (Linear(0, weight), b, "no constant") })
        {
            using var plain = new OperatorSurrogate(model, Attention);
            using var moved = new OperatorSurrogate(model, Attention, factors);
            var before = plain.forward(n).data<double>().ToArray();
            var after = moved.forward(n).data<double>().ToArray();
            for (int i = 0; i < before.Length; i++)
                Assert.True(Math.Abs(after[i] / before[i] / scale - 1) < 1e-12, $"seed {seed}: {what}: {after[i]} is not {scale}×{before[i]}");
        }
    }

    [Fact]
    public void A_model_with_both_parts_scales_each_part_and_the_fitted_value_the_same_way()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        double a = 0.2 + 3 * rng.NextDouble(), b = 0.2 + 3 * rng.NextDouble(), bias = 1 + 100 * rng.NextDouble(), weight = 1e-6 * (1 + rng.NextDouble());
        var model = Linear(bias, weight);
        var c = OperatorCase.Dense(OperatorKind.Attention, 64, Preset.Tiny.Shape);
        double plain = model.PredictUs(c);

        double moved = SurrogateTransfer.TransferUs(model.Linear, plain, new TransferFactors(a, b));

        Assert.True(Math.Abs(moved - (a * bias + b * (plain - bias))) < 1e-9 * moved, $"seed {seed}: {moved}");
        Assert.Equal(plain, SurrogateTransfer.TransferUs(model.Linear, plain, TransferFactors.Identity), 1e-12 * plain);
    }

    [Fact]
    public void Gradients_still_flow_and_scale_with_the_work_factor()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        double a = 0.2 + 3 * rng.NextDouble(), b = 0.2 + 3 * rng.NextDouble();
        var model = Linear(5 + 50 * rng.NextDouble(), 1e-6 * (1 + rng.NextDouble()));
        using var scope = NewDisposeScope();

        double tokens = 40.0 + 100 * rng.NextDouble();

        double Slope(TransferFactors? factors)
        {
            using var module = new OperatorSurrogate(model, Attention, factors);
            var n = tensor(new[] { tokens }, dtype: float64, requires_grad: true);
            module.forward(n).sum().backward();
            return n.grad!.item<double>();
        }

        double plain = Slope(null);
        double moved = Slope(new TransferFactors(a, b));

        Assert.True(double.IsFinite(moved) && moved > 0, $"seed {seed}: slope {moved}");
        Assert.True(Math.Abs(moved / plain / b - 1) < 1e-9, $"seed {seed}: slope {moved} at {tokens} tokens is not {b}×{plain}");
    }

    [Fact]
    public void The_whole_surrogate_transfers_its_fitted_predictions_too()
    {
        var surrogate = LatencySurrogate.Load(Published);
        var moved = SurrogateTransfer.Apply(surrogate, new TransferFactors(2, 3));
        var c = OperatorCase.Dense(OperatorKind.Mlp, 100, Preset.Tiny.Shape);
        var model = surrogate.Model(ModelKey.Of(c));
        double bias = model.Linear.BiasUs;
        double plain = surrogate.PredictFitted(c).Microseconds;

        Assert.Equal(2 * bias + 3 * (plain - bias), moved.PredictFitted(c).Microseconds, 1e-9 * plain);
        Assert.Null(surrogate.Transfer);
        Assert.Equal(new TransferFactors(2, 3), moved.Transfer);
    }

    [Fact]
    public void Factors_that_are_not_finite_and_positive_are_refused()
    {
        var surrogate = LatencySurrogate.Load(Published);
        foreach (var bad in new[] { new TransferFactors(0, 1), new TransferFactors(1, double.NaN), new TransferFactors(-1, 1), new TransferFactors(1, double.PositiveInfinity) })
            Assert.Throws<InputException>(() => SurrogateTransfer.Apply(surrogate, bad));
    }

    [Fact]
    public void An_old_surrogate_reads_as_having_no_suite_and_a_new_one_carries_the_profiles()
    {
        using var staleFolder = new TempFolder();
        var old = LatencySurrogate.Load(StaleSurrogate.Write(staleFolder.File("old.surrogate.json")));
        Assert.Null(old.ReferenceSuite);
        Assert.NotNull(LatencySurrogate.Load(Published).ReferenceSuite);

        int seed = SuiteSamples.FreshSeed();
        var suite = SuiteSamples.Suite(new Random(seed), withFailure: true);
        var machine = SuiteSamples.Machine(new Random(seed + 1));
        var document = old.Document with
        {
            Profile = old.Document.Profile with { Reference = SurrogateReference.From(suite), Fingerprint = old.Document.Profile.Fingerprint with { Machine = machine } },
        };
        using var folder = new TempFolder();
        SurrogateFile.Write(folder.File("s.surrogate.json"), document, force: false);
        var loaded = LatencySurrogate.Load(folder.File("s.surrogate.json"));

        var read = loaded.ReferenceSuite!;
        Assert.Null(read.FindProblem());
        Assert.Equal(suite.Failures, read.Failures);
        foreach (var c in suite.Cases)
        {
            var r = read.Find(c.Name)!;
            Assert.True(Math.Abs(r.Latency.Value.Nanoseconds / c.Latency.Value.Nanoseconds - 1) < 1e-12, $"seed {seed}: {c.Name}");
            Assert.Equal(c.Latency.Count, r.Latency.Count);
        }
        Assert.Equal(machine, loaded.Document.Profile.Fingerprint.Machine);
    }

    [Fact]
    public void A_surrogate_with_a_broken_suite_is_refused_naming_the_field()
    {
        var old = LatencySurrogate.Load(Published);
        var suite = SuiteSamples.Suite(new Random(21));
        var broken = SurrogateReference.From(suite)! with { Cases = SurrogateReference.From(suite)!.Cases.Select((c, i) => i == 1 ? c with { LatencyLowUs = c.LatencyUs * 2 } : c).ToList() };
        var document = old.Document with { Profile = old.Document.Profile with { Reference = broken } };
        using var folder = new TempFolder();
        // The writer refuses it, as every reader does; written by hand (hashed), it is refused when read.
        Assert.Throws<InputException>(() => SurrogateFile.Write(folder.File("w.surrogate.json"), document, force: false));
        File.WriteAllBytes(folder.File("s.surrogate.json"), SurrogateFile.Serialize(document));

        var error = Assert.Throws<InputException>(() => LatencySurrogate.Load(folder.File("s.surrogate.json")));

        Assert.Contains("profile.reference.cases[1]", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Fitting_copies_the_profiles_suite_into_the_surrogate()
    {
        var profile = SyntheticProfiles.Create(5);
        var suite = SuiteSamples.Suite(new Random(5));
        var fit = CostModelFitter.Fit(profile with { Reference = suite }, "synthetic.profile.json");

        Assert.Equal(SurrogateReference.From(suite)!.Cases, fit.Document.Profile.Reference!.Cases);
        Assert.Equal(suite.Failures, fit.Document.Profile.Reference.Failures);
    }
}
