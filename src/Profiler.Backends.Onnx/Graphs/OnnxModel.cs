using Profiler.Backends.Onnx.Proto;

namespace Profiler.Backends.Onnx.Graphs;

/// <summary>Element types this project writes (values of ONNX's TensorProto.DataType).</summary>
public enum OnnxElementType
{
    /// <summary>32-bit float.</summary>
    Float = 1,
    /// <summary>64-bit signed integer (shapes, indices).</summary>
    Int64 = 7,
}

/// <summary>One dimension of a graph input or output: a fixed size or a named, free one.</summary>
/// <param name="Value">The size, or 0 when <paramref name="Parameter"/> names a free dimension.</param>
/// <param name="Parameter">Name of a free dimension ("batch", "tokens"), or null for a fixed size.</param>
public readonly record struct OnnxDim(long Value, string? Parameter)
{
    /// <summary>A dimension of fixed size.</summary>
    public static OnnxDim Fixed(long value) => new(value, null);

    /// <summary>A free dimension, bound when the session runs: one session serves every token count.</summary>
    public static OnnxDim Named(string parameter) => new(0, parameter);
}

/// <summary>A graph input or output: name, element type and shape.</summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape);

/// <summary>A constant tensor stored in the model (weights, shapes, scalars), little-endian raw bytes.</summary>
public sealed record OnnxTensor(string Name, OnnxElementType ElementType, IReadOnlyList<long> Dims, byte[] Raw)
{
    /// <summary>A float tensor copied from <paramref name="values"/>.</summary>
    public static OnnxTensor Floats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        new(name, OnnxElementType.Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor copied from <paramref name="values"/>.</summary>
    public static OnnxTensor Int64s(string name, ReadOnlySpan<long> values, params long[] dims) =>
        new(name, OnnxElementType.Int64, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());
}

/// <summary>A node attribute: exactly one of an int, a float, a list of ints or a string.</summary>
public sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, IReadOnlyList<long>? Ints = null, string? Text = null)
{
    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);

    /// <summary>A list-of-integers attribute, also with a single element (ONNX tells INT from INTS).</summary>
    public static OnnxAttribute List(string name, params long[] values) => new(name, Ints: values);

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute Of(string name, string value) => new(name, Text: value);
}

/// <summary>One operator application in a graph.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes, string Name);

/// <summary>
/// A whole single-graph ONNX model in the default domain. <see cref="ToBytes"/> writes it as an ONNX ModelProto that
/// ONNX Runtime loads; nothing else (no Python, no onnx package) is involved.
/// </summary>
public sealed record OnnxModel(string GraphName, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs)
{
    /// <summary>The opset every model here imports: 17 has LayerNormalization but not Gelu.</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17.</summary>
    public const int IrVersion = 8;

    /// <summary>Bytes held by the initializers (the weights).</summary>
    public long InitializerBytes => Initializers.Sum(t => (long)t.Raw.Length);

    /// <summary>The serialised ModelProto.</summary>
    public byte[] ToBytes() => OnnxSerializer.Serialize(this);
}
