using System.Globalization;

namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// Builds one ONNX graph node by node. Every value gets a fresh name, so layers compose without clashes; weights
/// and small constants become initializers.
/// </summary>
public sealed class GraphBuilder(string name)
{
    private readonly List<OnnxNode> nodes = [];
    private readonly List<OnnxTensor> initializers = [];
    private readonly List<OnnxValueInfo> inputs = [];
    private readonly List<OnnxValueInfo> outputs = [];
    private int counter;

    /// <summary>Declares a float graph input and returns its name.</summary>
    public string Input(string inputName, params OnnxDim[] shape)
    {
        inputs.Add(new OnnxValueInfo(inputName, OnnxElementType.Float, shape));
        return inputName;
    }

    /// <summary>Declares a graph input of <paramref name="type"/> (int64 for token ids) and returns its name.</summary>
    public string Input(string inputName, OnnxElementType type, params OnnxDim[] shape)
    {
        inputs.Add(new OnnxValueInfo(inputName, type, shape));
        return inputName;
    }

    /// <summary>Declares <paramref name="value"/> a float graph output of the given shape.</summary>
    public void Output(string value, params OnnxDim[] shape) => outputs.Add(new OnnxValueInfo(value, OnnxElementType.Float, shape));

    /// <summary>Declares <paramref name="value"/> a float graph output named <paramref name="outputName"/> (through an Identity node).</summary>
    public void Output(string value, string outputName, params OnnxDim[] shape)
    {
        nodes.Add(new OnnxNode("Identity", [value], [outputName], [], Fresh("Identity")));
        Output(outputName, shape);
    }

    /// <summary>Adds a float initializer (weights) and returns its name.</summary>
    public string Weight(string hint, ReadOnlySpan<float> values, params long[] dims) => Add(OnnxTensor.Floats(Fresh(hint), values, dims));

    /// <summary>Adds a float initializer whose bytes are already laid out, without copying them.</summary>
    public string Weight(string hint, byte[] raw, params long[] dims) => Add(new OnnxTensor(Fresh(hint), OnnxElementType.Float, dims, raw));

    /// <summary>Adds a float scalar constant.</summary>
    public string Scalar(string hint, float value) => Add(OnnxTensor.Floats(Fresh(hint), [value]));

    /// <summary>Adds a one-dimensional int64 constant (a shape or a list of indices).</summary>
    public string Int64s(string hint, params long[] values) => Add(OnnxTensor.Int64s(Fresh(hint), values, values.Length));

    /// <summary>Adds an int64 constant of any shape (index maps).</summary>
    public string Int64Tensor(string hint, ReadOnlySpan<long> values, params long[] dims) => Add(OnnxTensor.Int64s(Fresh(hint), values, dims));

    /// <summary>Adds an int64 scalar constant (an index that removes its axis in Gather).</summary>
    public string Int64Scalar(string hint, long value) => Add(OnnxTensor.Int64s(Fresh(hint), [value]));

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> nodeInputs, params OnnxAttribute[] attributes) =>
        Nodes(opType, nodeInputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public IReadOnlyList<string> Nodes(string opType, IReadOnlyList<string> nodeInputs, int outputCount, params OnnxAttribute[] attributes)
    {
        var nodeName = Fresh(opType);
        var nodeOutputs = Enumerable.Range(0, outputCount).Select(i => $"{nodeName}_out{i}").ToArray();
        nodes.Add(new OnnxNode(opType, nodeInputs.ToArray(), nodeOutputs, attributes, nodeName));
        return nodeOutputs;
    }

    /// <summary>The model built so far.</summary>
    public OnnxModel Build()
    {
        if (outputs.Count == 0) throw new InvalidOperationException($"graph '{name}' needs an output");
        return new OnnxModel(name, nodes.ToArray(), initializers.ToArray(), inputs.ToArray(), outputs.ToArray());
    }

    private string Add(OnnxTensor tensor)
    {
        initializers.Add(tensor);
        return tensor.Name;
    }

    private string Fresh(string hint) => string.Create(CultureInfo.InvariantCulture, $"{hint}_{counter++}");
}
