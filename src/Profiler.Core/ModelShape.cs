namespace Profiler.Core;

/// <summary>The sizes of one transformer encoder layer and how many layers a model has.</summary>
/// <param name="Hidden">Hidden size d.</param>
/// <param name="Heads">Attention heads h; must divide <paramref name="Hidden"/>.</param>
/// <param name="MlpSize">Inner size m of the two-matrix MLP.</param>
/// <param name="Layers">Encoder layers in the whole model.</param>
public sealed record ModelShape(int Hidden, int Heads, int MlpSize, int Layers)
{
    /// <summary>The largest hidden size accepted (four times LLaVA-1.5-7B's).</summary>
    public const int MostHidden = 16_384;

    /// <summary>The most attention heads accepted.</summary>
    public const int MostHeads = 1_024;

    /// <summary>The largest MLP size accepted.</summary>
    public const int MostMlpSize = 65_536;

    /// <summary>The most layers accepted.</summary>
    public const int MostLayers = 1_024;

    /// <summary>Weights of the encoder layers alone (four d×d projections and the two MLP matrices per layer).</summary>
    public long EncoderWeights => (long)Layers * (4L * Hidden * Hidden + 2L * Hidden * MlpSize);

    /// <summary>Throws an <see cref="InputException"/> naming the first impossible size.</summary>
    public ModelShape Validated()
    {
        Check("hidden size", Hidden, MostHidden);
        Check("heads", Heads, MostHeads);
        if (Hidden % Heads != 0) throw new InputException($"heads ({Heads}) must divide the hidden size ({Hidden})");
        Check("MLP size", MlpSize, MostMlpSize);
        Check("layers", Layers, MostLayers);
        return this;
    }

    private static void Check(string what, int value, int most)
    {
        InputCheck.Positive(value, what);
        if (value > most) throw new InputException($"{what} {value} is more than {most}, the most this tool accepts");
    }
}
