namespace Profiler.Core;

/// <summary>The sizes of one transformer encoder layer and how many layers a model has.</summary>
/// <param name="Hidden">Hidden size d.</param>
/// <param name="Heads">Attention heads h; must divide <paramref name="Hidden"/>.</param>
/// <param name="MlpSize">Inner size m of the two-matrix MLP.</param>
/// <param name="Layers">Encoder layers in the whole model.</param>
public sealed record ModelShape(int Hidden, int Heads, int MlpSize, int Layers)
{
    /// <summary>Throws an <see cref="InputException"/> naming the first impossible size.</summary>
    public ModelShape Validated()
    {
        if (Hidden < 1) throw new InputException($"hidden size must be positive, got {Hidden}");
        if (Heads < 1) throw new InputException($"heads must be positive, got {Heads}");
        if (Hidden % Heads != 0) throw new InputException($"heads ({Heads}) must divide the hidden size ({Hidden})");
        if (MlpSize < 1) throw new InputException($"MLP size must be positive, got {MlpSize}");
        if (Layers < 1) throw new InputException($"layers must be positive, got {Layers}");
        return this;
    }
}
