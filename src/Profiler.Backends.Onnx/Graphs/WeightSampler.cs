namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// Seeded random weights at the scale torch gives a fresh layer (uniform in ±1/√fan-in), so that activations stay in
/// the range the real model sees. The generator is SplitMix64: fast enough for a llava-size layer (160 M floats)
/// and the same on every platform and .NET version, so a seed names the same weights everywhere.
/// </summary>
public sealed class WeightSampler(int seed)
{
    private ulong state = (ulong)seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;

    /// <summary>A linear layer with torch's default initialisation range.</summary>
    public LinearWeights Linear(int inFeatures, int outFeatures)
    {
        float bound = 1f / MathF.Sqrt(inFeatures);
        return new LinearWeights(inFeatures, outFeatures, Uniform((long)inFeatures * outFeatures, bound), Uniform(outFeatures, bound));
    }

    /// <summary>Layer-norm parameters near their initial values (γ ≈ 1, β ≈ 0) but not exactly, so a test sees them used.</summary>
    public NormWeights Norm(int hidden)
    {
        var gamma = Uniform(hidden, 0.1f);
        for (int i = 0; i < gamma.Length; i++) gamma[i] += 1f;
        return new NormWeights(gamma, Uniform(hidden, 0.1f));
    }

    /// <summary>Attention weights for hidden size <paramref name="hidden"/>.</summary>
    public AttentionWeights Attention(int hidden, int heads) => new(heads, Linear(hidden, 3 * hidden), Linear(hidden, hidden));

    /// <summary>MLP weights.</summary>
    public MlpWeights Mlp(int hidden, int mlpSize) => new(Linear(hidden, mlpSize), Linear(mlpSize, hidden));

    /// <summary>A whole encoder layer's weights.</summary>
    public BlockWeights Block(int hidden, int heads, int mlpSize) =>
        new(Norm(hidden), Attention(hidden, heads), Norm(hidden), Mlp(hidden, mlpSize));

    /// <summary><paramref name="count"/> values uniform in [−bound, bound).</summary>
    public float[] Uniform(long count, float bound)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (2f * NextUnit() - 1f) * bound;
        return values;
    }

    /// <summary><paramref name="count"/> standard normal values (Box–Muller), as torch.randn draws inputs.</summary>
    public float[] Normal(long count)
    {
        var values = new float[count];
        for (long i = 0; i < count; i += 2)
        {
            double u1 = 1.0 - NextUnit(), u2 = NextUnit();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count) values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
        return values;
    }

    private float NextUnit() => (Next() >> 40) * (1f / (1 << 24));

    private ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
