namespace Profiler.Backends.Onnx.Graphs;

/// <summary>The small models around the case models: the ceilings' matmul and copy, and the input generator.</summary>
public static class UtilityModels
{
    /// <summary>A·B for square float32 matrices of side <paramref name="size"/>; B is a seeded initializer.</summary>
    public static OnnxModel Matmul(int size, int seed)
    {
        var g = new GraphBuilder("matmul");
        var a = g.Input(CaseModels.InputName, OnnxDim.Fixed(size), OnnxDim.Fixed(size));
        var b = g.Weight("b", new WeightSampler(seed).Normal((long)size * size), size, size);
        g.Output(g.Node("MatMul", [a, b]), OnnxDim.Fixed(size), OnnxDim.Fixed(size));
        return g.Build();
    }

    /// <summary>
    /// A copy of <paramref name="elements"/> floats: Identity into an output bound to its own buffer, which ONNX
    /// Runtime fills with one memory copy.
    /// </summary>
    public static OnnxModel Copy(long elements)
    {
        var g = new GraphBuilder("copy");
        var x = g.Input(CaseModels.InputName, OnnxDim.Fixed(elements));
        g.Output(g.Node("Identity", [x]), OnnxDim.Fixed(elements));
        return g.Build();
    }

    /// <summary>The input names of <see cref="Add"/>'s model, in order.</summary>
    public static IReadOnlyList<string> AddInputs { get; } = ["a", "b"];

    /// <summary>a + b for float32 vectors of <paramref name="elements"/>: with one element, the per-call case.</summary>
    public static OnnxModel Add(long elements)
    {
        var g = new GraphBuilder("add");
        var a = g.Input(AddInputs[0], OnnxDim.Fixed(elements));
        var b = g.Input(AddInputs[1], OnnxDim.Fixed(elements));
        g.Output(g.Node("Add", [a, b]), OnnxDim.Fixed(elements));
        return g.Build();
    }

    /// <summary>
    /// Fresh values for every input of a case, drawn on the device itself (RandomNormal or RandomUniform, seeded
    /// once, a new draw per run), so inputs never cross the bus and the same code fills CPU and GPU buffers.
    /// </summary>
    public static OnnxModel RandomInputs(IReadOnlyList<CaseInput> inputs, int seed)
    {
        var g = new GraphBuilder("random_inputs");
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var distribution = input.Distribution == InputDistribution.Normal
                ? ("RandomNormal", OnnxAttribute.Of("mean", 0f), OnnxAttribute.Of("scale", 1f))
                : ("RandomUniform", OnnxAttribute.Of("low", 0f), OnnxAttribute.Of("high", 1f));
            var draw = g.Node(distribution.Item1, [], OnnxAttribute.Of("shape", input.Shape), OnnxAttribute.Of("seed", (float)(seed + i)),
                distribution.Item2, distribution.Item3, OnnxAttribute.Of("dtype", (long)OnnxElementType.Float));
            g.Output(draw, input.Shape.Select(OnnxDim.Fixed).ToArray());
        }
        return g.Build();
    }
}
