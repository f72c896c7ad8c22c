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

    /// <summary>
    /// Standard normal values of a fixed shape drawn on the device itself (RandomNormal, seeded once, a new draw per
    /// run), so fresh inputs never cross the bus and the same code fills CPU and GPU buffers.
    /// </summary>
    public static OnnxModel RandomInput(IReadOnlyList<long> shape, int seed)
    {
        var g = new GraphBuilder("random_input");
        var dims = shape.Select(OnnxDim.Fixed).ToArray();
        var draw = g.Node("RandomNormal", [], OnnxAttribute.Of("shape", shape.ToArray()), OnnxAttribute.Of("seed", (float)seed),
            OnnxAttribute.Of("mean", 0f), OnnxAttribute.Of("scale", 1f), OnnxAttribute.Of("dtype", 1L));
        g.Output(draw, dims);
        return g.Build();
    }
}
