using Profiler.Operators.Layers;

namespace Profiler.Tasks.Network;

/// <summary>
/// A token reduction inside one encoder layer, after its attention and before its MLP (where ToMe places it). The
/// layer computes what the reduction asks for (attention probabilities, keys) and hands it over.
/// </summary>
public interface ILayerReduction
{
    /// <summary>True when the reduction reads the attention probabilities (the layer then runs unfused attention).</summary>
    bool NeedsAttentionWeights { get; }

    /// <summary>True when the reduction matches tokens by their attention keys.</summary>
    bool NeedsKeys { get; }

    /// <summary>Reduces the sequence after the attention residual.</summary>
    TokenState Reduce(TokenState state, AttentionOutput attention);
}
