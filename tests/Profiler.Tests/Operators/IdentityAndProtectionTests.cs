using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Laws every operator holds: ρ = 1 is the identity, protected tokens come out unchanged, X' = M·X, s' = A·s.</summary>
public sealed class IdentityAndProtectionTests
{
    /// <summary>Every operator under test, as a function of (input, ρ), with M and A asked for.</summary>
    internal static IEnumerable<(string Name, Func<ReductionInput, double, ReductionResult> Apply)> AllOperators()
    {
        yield return ("prune", (x, r) => Prune.Apply(x, r, needMixing: true));
        yield return ("reweight", (x, r) => Reweight.Apply(x, r, needMixing: true));
        yield return ("reweight hard", (x, r) => Reweight.Apply(x, r, hard: true, needMixing: true));
        yield return ("pool", (x, r) => Pool.Apply(x, r, needMixing: true));
        yield return ("merge", (x, r) => Merge.Apply(x, r, needMixing: true));
        var withMixing = new AlignedOptions(NeedMixing: true);
        foreach (var op in AlignedReduction.Anchors)
            yield return ($"aligned {op.Name()}", (x, r) => AlignedReduction.Apply(op, x, r, withMixing));
        yield return ("O(0.4)", (x, r) => ContinuousReduction.Apply(x, r, tensor(0.4), withMixing));
        yield return ("O(0.8)", (x, r) => ContinuousReduction.Apply(x, r, tensor(0.8), withMixing));
        yield return ("mixture", (x, r) => OperatorMixture.Apply(x, r, tensor(new[] { 0.1, 0.2, 0.3, 0.4 }), withMixing));
    }

    [Fact]
    public void RatioOneIsTheIdentityForEveryOperator() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        foreach (var (name, apply) in AllOperators())
        {
            var result = apply(input, 1.0);
            TensorAssert.Exact(input.Tokens, result.Tokens, $"{name} tokens at ρ=1");
            TensorAssert.Exact(input.Sizes, result.Sizes, $"{name} sizes at ρ=1");
            Assert.Equal(input.Layout, result.Layout);
            var identity = eye(c.Layout.Count).expand(c.Batch, -1, -1);
            TensorAssert.Exact(identity, result.Mixing!, $"{name} M at ρ=1");
        }
    });

    [Fact]
    public void ProtectedTokensComeOutUnchanged() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var layout = c.Layout;
        int keep = layout.KeepCount(c.Ratio);
        foreach (var (name, apply) in AllOperators())
        {
            var result = apply(input, c.Ratio);
            int outCount = (int)result.Tokens.shape[1];
            int block = name.StartsWith("reweight") ? layout.Reducible : keep;
            Assert.Equal(layout.Prefix + block + layout.Suffix, outCount);
            TensorAssert.Exact(input.Tokens.narrow(1, 0, layout.Prefix), result.Tokens.narrow(1, 0, layout.Prefix), $"{name} prefix");
            TensorAssert.Exact(input.Sizes.narrow(1, 0, layout.Prefix), result.Sizes.narrow(1, 0, layout.Prefix), $"{name} prefix sizes");
            TensorAssert.Exact(
                input.Tokens.narrow(1, layout.Prefix + layout.Reducible, layout.Suffix),
                result.Tokens.narrow(1, outCount - layout.Suffix, layout.Suffix), $"{name} suffix");
            TensorAssert.Exact(
                input.Sizes.narrow(1, layout.Prefix + layout.Reducible, layout.Suffix),
                result.Sizes.narrow(1, outCount - layout.Suffix, layout.Suffix), $"{name} suffix sizes");
        }
    });

    [Fact]
    public void MixingMatricesReproduceTheOutputs() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input(ScalarType.Float64);
        foreach (var (name, apply) in AllOperators())
        {
            var result = apply(input, c.Ratio);
            TensorAssert.Close(result.Tokens, result.Mixing!.matmul(input.Tokens), $"{name}: X' = M·X", 1e-10);
            TensorAssert.Close(result.Sizes, result.SizeMixing!.matmul(input.Sizes.unsqueeze(-1)).squeeze(-1), $"{name}: s' = A·s", 1e-10);
            // Every output is a weighted mean (prune's of one token): the rows of M sum to 1.
            TensorAssert.Close(ones(result.Tokens.shape[0], result.Tokens.shape[1], dtype: ScalarType.Float64),
                result.Mixing!.sum(-1), $"{name}: rows of M sum to 1", 1e-12);
        }
    });
}
