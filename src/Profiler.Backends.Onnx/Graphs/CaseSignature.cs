namespace Profiler.Backends.Onnx.Graphs;

/// <summary>How a case's random inputs are drawn, as torch's backend draws them (randn or rand).</summary>
public enum InputDistribution
{
    /// <summary>Standard normal.</summary>
    Normal,
    /// <summary>Uniform in [0, 1), as scores are drawn.</summary>
    Uniform,
}

/// <summary>One float input of a case model, in graph-input order.</summary>
/// <param name="Name">Graph input name.</param>
/// <param name="Shape">Concrete shape for the case.</param>
/// <param name="Distribution">How fresh values are drawn.</param>
public sealed record CaseInput(string Name, long[] Shape, InputDistribution Distribution);

/// <summary>The concrete float inputs and outputs a case model is bound to, in graph order.</summary>
public sealed record CaseSignature(IReadOnlyList<CaseInput> Inputs, IReadOnlyList<long[]> Outputs);
