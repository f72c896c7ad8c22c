using Profiler.Core;
using Profiler.Measurement.Backends.Torch;

namespace Profiler.Tests.Measurement;

/// <summary>Every case kind the torch backend offers prepares, runs and redraws its inputs at small sizes.</summary>
public sealed class TorchBackendTests
{
    private static readonly ModelShape Shape = new(32, 4, 64, 1);

    public static TheoryData<string, int, int, string> Cases => new()
    {
        { "attention", 12, 12, "" }, { "attention", 12, 12, "weights" }, { "mlp", 12, 12, "" }, { "layernorm", 12, 12, "" },
        { "block", 12, 12, "" }, { "score", 12, 12, "norm" }, { "score", 12, 12, "cls" }, { "score", 12, 12, "last-text" },
        { "prune", 12, 6, "" }, { "merge", 12, 6, "" }, { "pool", 12, 6, "" }, { "reweight", 12, 6, "" },
        { "prune", 12, 3, "aligned" }, { "merge", 12, 9, "aligned" }, { "pool", 12, 6, "aligned" }, { "reweight", 12, 6, "aligned" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_kind_runs(string op, int tokensIn, int tokensOut, string variant)
    {
        using var backend = new TorchBackend("cpu", 1);
        var c = new OperatorCase(OperatorNames.Parse(op), tokensIn, tokensOut, Shape.Hidden, Shape.Heads, Shape.MlpSize, 2, "float32", variant);
        using var runner = backend.Prepare(c, seed: Random.Shared.Next());
        runner.Invoke();
        runner.RefreshInputs();
        runner.Invoke();
        runner.Synchronize();
        Assert.True(runner.Flops >= 0 && double.IsFinite(runner.Flops));
        Assert.True(runner.Bytes > 0);
        Assert.Contains(c.Operator, backend.SupportedOperators);
    }

    [Fact]
    public void An_unknown_variant_is_an_input_error()
    {
        using var backend = new TorchBackend("cpu", 1);
        var c = OperatorCase.Dense(OperatorKind.Mlp, 8, Shape) with { Variant = "fused" };
        Assert.Throws<InputException>(() => backend.Prepare(c, 1));
    }
}
