using System.Globalization;
using Profiler.Core;

namespace Profiler.Measurement.Forward;

/// <summary>What a whole-model case runs.</summary>
public enum WorkloadKind
{
    /// <summary>A stack of <see cref="ModelWorkload.Index"/> encoder blocks with random weights.</summary>
    Layers,
    /// <summary>The task's model under the plan at <see cref="ModelWorkload.Index"/> in the run's list of plans.</summary>
    Plan,
}

/// <summary>
/// A whole-model forward the engine times. The engine, its raw store and the backends key work by
/// <see cref="OperatorCase"/>, so a workload travels as a block case whose variant names it ("layers=12", "plan=3");
/// this type is the one place that writes that variant and reads it back.
/// </summary>
/// <param name="Kind">What runs.</param>
/// <param name="Index">The layers of the stack, or the plan's index.</param>
public readonly record struct ModelWorkload(WorkloadKind Kind, int Index)
{
    /// <summary>The case that stands for this workload at <paramref name="tokens"/> tokens of <paramref name="shape"/>'s width.</summary>
    public OperatorCase Case(ModelShape shape, int tokens, int batch) =>
        new(OperatorKind.Block, tokens, tokens, shape.Hidden, shape.Heads, shape.MlpSize, batch, "float32", Variant);

    /// <summary>The variant that names it: "layers=L" or "plan=i".</summary>
    public string Variant => (Kind == WorkloadKind.Layers ? "layers=" : "plan=") + Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The workload <paramref name="c"/> stands for, of <paramref name="kind"/>; another case is an <see cref="InputException"/>.</summary>
    public static ModelWorkload Of(OperatorCase c, WorkloadKind kind)
    {
        var prefix = new ModelWorkload(kind, 0).Variant[..^1];
        if (c.Operator == OperatorKind.Block && c.Variant.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(c.Variant[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && (index >= 1 || kind == WorkloadKind.Plan))
            return new ModelWorkload(kind, index);
        throw new InputException($"{c.Key}: not a whole-model case ({prefix}N)");
    }
}
