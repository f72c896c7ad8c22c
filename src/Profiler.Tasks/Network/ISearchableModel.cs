using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// A TorchSharp model the differentiable search can reduce tokens in: a stack of encoder layers, each of which may
/// take one <see cref="ILayerReduction"/> after its attention (<see cref="ReducingEncoder"/> runs such a stack), and
/// a task whose loss and accuracy it reports on a training batch. <see cref="VqaModel"/> is one implementation.
/// </summary>
public interface ISearchableModel
{
    /// <summary>The module: its parameters are trained when the search fine-tunes, and it is put in eval mode.</summary>
    nn.Module Module { get; }

    /// <summary>Encoder layers that take a reduction, in order (index i receives reductions[i]).</summary>
    int Layers { get; }

    /// <summary>The sequence entering the first layer: protected tokens around the reducible ones.</summary>
    TokenLayout Layout { get; }

    /// <summary>
    /// Runs training batch number <paramref name="index"/> of <paramref name="size"/> examples (drawn from
    /// <paramref name="seed"/>) with <paramref name="reductions"/> (one per layer, null for none) and returns the task
    /// loss (0-dim, differentiable) and the batch's accuracy.
    /// </summary>
    BatchOutcome TrainingBatch(int seed, long index, int size, IReadOnlyList<ILayerReduction?> reductions);
}

/// <summary>One training batch: its loss (a 0-dim tensor with a gradient) and its accuracy in [0, 1].</summary>
public readonly record struct BatchOutcome(Tensor Loss, double Accuracy);
