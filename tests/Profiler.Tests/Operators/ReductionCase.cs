using CsCheck;
using Profiler.Operators.Reduction;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>
/// One random reduction problem: a batch of token sequences with a protected prefix, a patch grid and a protected
/// suffix. Everything random comes from <see cref="Seed"/>, so the case CsCheck prints on failure reproduces it.
/// </summary>
internal sealed record ReductionCase(int Seed, int Batch, int Rows, int Cols, int Prefix, int Suffix, int Channels, double Ratio)
{
    /// <summary>Small random cases: 1–3 items, grids 2–6 a side, 0–2 prefix and 0–3 suffix tokens, 2–8 channels.</summary>
    public static Gen<ReductionCase> Any { get; } =
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 3], Gen.Int[2, 6], Gen.Int[2, 6], Gen.Int[0, 2], Gen.Int[0, 3],
                Gen.Int[1, 4], Gen.Double[0.1, 0.95])
            .Select(t => new ReductionCase(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, 2 * t.Item7, t.Item8));

    /// <summary>Cases that drop at least one token (at ρ = 1 nothing depends on α, ρ or the operator choice).</summary>
    public static Gen<ReductionCase> Reducing { get; } =
        Any.Select(c => c with { Ratio = Math.Min(c.Ratio, (c.Reducible - 1.0) / c.Reducible) });

    /// <summary>The layout: prefix, Rows×Cols grid, suffix.</summary>
    public TokenLayout Layout => new(Prefix, Rows * Cols, Suffix, new GridShape(Rows, Cols));

    /// <summary>Reducible tokens R.</summary>
    public int Reducible => Rows * Cols;

    /// <summary>A generator seeded by the case (a fresh one per call gives the same numbers again).</summary>
    public Generator Random(int stream = 0) => new((ulong)Seed * 7919UL + (ulong)stream);

    /// <summary>
    /// Random tokens, keys and scores (distinct with probability 1), sizes 1 or random in [1, 4).
    /// </summary>
    public ReductionInput Input(ScalarType dtype = ScalarType.Float32, bool randomSizes = true)
    {
        var g = Random();
        long n = Layout.Count;
        var tokens = randn(Batch, n, Channels, dtype: dtype, generator: g);
        var keys = randn(Batch, n, Channels, dtype: dtype, generator: g);
        var scores = randn(Batch, n, dtype: dtype, generator: g);
        var sizes = randomSizes
            ? 1 + 3 * rand(Batch, n, dtype: dtype, generator: g)
            : ones(Batch, n, dtype: dtype);
        return new ReductionInput(tokens, sizes, Layout, keys, scores);
    }

    /// <summary>Runs a property on <paramref name="iterations"/> fresh cases on one thread (libtorch has its own pool).</summary>
    public static void Check(Gen<ReductionCase> gen, Action<ReductionCase> property, int iterations = 12)
    {
        TorchThreads.Ensure();
        // Each case in its own dispose scope: a chain's temporaries stay referenced until the case ends, so the GC's
        // finalizer never frees one that libtorch is still reading (a case failed once in aten::as_strided).
        gen.Sample(c =>
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            property(c);
        }, iter: iterations, threads: 1);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"seed {Seed}: B={Batch}, {Rows}×{Cols} grid, prefix {Prefix}, suffix {Suffix}, C={Channels}, ρ={Ratio:R}";
}

/// <summary>Keeps libtorch to one thread in tests: the machine's cores are shared, and the tensors here are tiny.</summary>
internal static class TorchThreads
{
    private static readonly Lazy<bool> Set = new(() =>
    {
        torch.set_num_threads(1);
        return true;
    });

    public static void Ensure() => _ = Set.Value;
}
