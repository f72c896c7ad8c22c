using Google.Protobuf;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using static Google.Protobuf.WireFormat;

namespace Profiler.Backends.Onnx.Proto;

/// <summary>
/// Writes an <see cref="OnnxModel"/> as the protobuf bytes of ONNX's ModelProto, with the field numbers of onnx.proto
/// for the few messages a single-graph model needs. Sizes are computed first so that the whole model, weights
/// included, is written into one array without intermediate copies (a llava-size block is over half a gigabyte).
/// onnx.proto is proto2: repeated scalars are written unpacked, as its own generated code does.
/// </summary>
internal static class OnnxSerializer
{
    // ModelProto
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpsetImport = 8;
    // OperatorSetIdProto
    private const int OpsetDomain = 1, OpsetVersion = 2;
    // GraphProto
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto and its AttributeType values
    private const int AttributeName = 1, AttributeF = 2, AttributeI = 3, AttributeS = 4, AttributeInts = 8, AttributeType = 20;
    private const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeInts = 7;
    // TensorProto
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensorType = 1, TensorTypeElemType = 1, TensorTypeShape = 2;
    private const int ShapeDim = 1, DimValue = 1, DimParam = 2;

    private const string Producer = "Profiler";

    /// <summary>Serialises <paramref name="model"/>; a model over protobuf's 2 GiB limit is an <see cref="InputException"/>.</summary>
    public static byte[] Serialize(OnnxModel model)
    {
        long size = ModelSize(model);
        if (size > int.MaxValue)
            throw new InputException($"model '{model.GraphName}' needs {size >> 20} MiB, over protobuf's 2 GiB limit for one ONNX model");
        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        WriteModel(output, model);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    private static long ModelSize(OnnxModel m) =>
        Int64Field(ModelIrVersion, OnnxModel.IrVersion) + StringField(ModelProducerName, Producer)
        + StringField(ModelProducerVersion, ProducerVersion) + MessageField(ModelGraph, GraphSize(m))
        + MessageField(ModelOpsetImport, OpsetSize());

    private static void WriteModel(CodedOutputStream o, OnnxModel m)
    {
        WriteInt64(o, ModelIrVersion, OnnxModel.IrVersion);
        WriteString(o, ModelProducerName, Producer);
        WriteString(o, ModelProducerVersion, ProducerVersion);
        BeginMessage(o, ModelGraph, GraphSize(m));
        WriteGraph(o, m);
        BeginMessage(o, ModelOpsetImport, OpsetSize());
        WriteString(o, OpsetDomain, "");
        WriteInt64(o, OpsetVersion, OnnxModel.Opset);
    }

    private static long OpsetSize() => StringField(OpsetDomain, "") + Int64Field(OpsetVersion, OnnxModel.Opset);

    private static long GraphSize(OnnxModel m) =>
        m.Nodes.Sum(n => MessageField(GraphNode, NodeSize(n))) + StringField(GraphName, m.GraphName)
        + m.Initializers.Sum(t => MessageField(GraphInitializer, TensorSize(t)))
        + m.Inputs.Sum(v => MessageField(GraphInput, ValueInfoSize(v)))
        + m.Outputs.Sum(v => MessageField(GraphOutput, ValueInfoSize(v)));

    private static void WriteGraph(CodedOutputStream o, OnnxModel m)
    {
        foreach (var node in m.Nodes)
        {
            BeginMessage(o, GraphNode, NodeSize(node));
            WriteNode(o, node);
        }
        WriteString(o, GraphName, m.GraphName);
        foreach (var tensor in m.Initializers)
        {
            BeginMessage(o, GraphInitializer, TensorSize(tensor));
            WriteTensor(o, tensor);
        }
        foreach (var input in m.Inputs)
        {
            BeginMessage(o, GraphInput, ValueInfoSize(input));
            WriteValueInfo(o, input);
        }
        foreach (var output in m.Outputs)
        {
            BeginMessage(o, GraphOutput, ValueInfoSize(output));
            WriteValueInfo(o, output);
        }
    }

    private static long NodeSize(OnnxNode n) =>
        n.Inputs.Sum(i => StringField(NodeInput, i)) + n.Outputs.Sum(i => StringField(NodeOutput, i))
        + StringField(NodeName, n.Name) + StringField(NodeOpType, n.OpType)
        + n.Attributes.Sum(a => MessageField(NodeAttribute, AttributeSize(a)));

    private static void WriteNode(CodedOutputStream o, OnnxNode n)
    {
        foreach (var input in n.Inputs) WriteString(o, NodeInput, input);
        foreach (var output in n.Outputs) WriteString(o, NodeOutput, output);
        WriteString(o, NodeName, n.Name);
        WriteString(o, NodeOpType, n.OpType);
        foreach (var attribute in n.Attributes)
        {
            BeginMessage(o, NodeAttribute, AttributeSize(attribute));
            WriteAttribute(o, attribute);
        }
    }

    private static long AttributeSize(OnnxAttribute a)
    {
        long size = StringField(AttributeName, a.Name) + Int64Field(AttributeType, AttributeTypeOf(a));
        if (a.Float is not null) size += CodedOutputStream.ComputeTagSize(AttributeF) + CodedOutputStream.ComputeFloatSize(a.Float.Value);
        if (a.Int is { } i) size += Int64Field(AttributeI, i);
        if (a.Text is { } s) size += StringField(AttributeS, s);
        if (a.Ints is { } ints) size += ints.Sum(v => Int64Field(AttributeInts, v));
        return size;
    }

    private static void WriteAttribute(CodedOutputStream o, OnnxAttribute a)
    {
        WriteString(o, AttributeName, a.Name);
        if (a.Float is { } f)
        {
            o.WriteTag(AttributeF, WireType.Fixed32);
            o.WriteFloat(f);
        }
        if (a.Int is { } i) WriteInt64(o, AttributeI, i);
        if (a.Text is { } s) WriteString(o, AttributeS, s);
        if (a.Ints is { } ints) foreach (var v in ints) WriteInt64(o, AttributeInts, v);
        WriteInt64(o, AttributeType, AttributeTypeOf(a));
    }

    private static int AttributeTypeOf(OnnxAttribute a) =>
        a.Float is not null ? TypeFloat : a.Int is not null ? TypeInt : a.Text is not null ? TypeString : a.Ints is not null ? TypeInts
        : throw new ArgumentException($"attribute '{a.Name}' has no value");

    private static long TensorSize(OnnxTensor t) =>
        t.Dims.Sum(d => Int64Field(TensorDims, d)) + Int64Field(TensorDataType, (int)t.ElementType)
        + StringField(TensorName, t.Name) + MessageField(TensorRawData, t.Raw.Length);

    private static void WriteTensor(CodedOutputStream o, OnnxTensor t)
    {
        foreach (var d in t.Dims) WriteInt64(o, TensorDims, d);
        WriteInt64(o, TensorDataType, (int)t.ElementType);
        WriteString(o, TensorName, t.Name);
        o.WriteTag(TensorRawData, WireType.LengthDelimited);
        // Wrapped, not copied: the weights go straight from their array into the output.
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(t.Raw));
    }

    private static long ValueInfoSize(OnnxValueInfo v) => StringField(ValueInfoName, v.Name) + MessageField(ValueInfoType, TypeSize(v));

    private static long TypeSize(OnnxValueInfo v) => MessageField(TypeTensorType, TensorTypeSize(v));

    private static long TensorTypeSize(OnnxValueInfo v) =>
        Int64Field(TensorTypeElemType, (int)v.ElementType) + MessageField(TensorTypeShape, ShapeSize(v));

    private static long ShapeSize(OnnxValueInfo v) => v.Shape.Sum(d => MessageField(ShapeDim, DimSize(d)));

    private static long DimSize(OnnxDim d) => d.Parameter is { } p ? StringField(DimParam, p) : Int64Field(DimValue, d.Value);

    private static void WriteValueInfo(CodedOutputStream o, OnnxValueInfo v)
    {
        WriteString(o, ValueInfoName, v.Name);
        BeginMessage(o, ValueInfoType, TypeSize(v));
        BeginMessage(o, TypeTensorType, TensorTypeSize(v));
        WriteInt64(o, TensorTypeElemType, (int)v.ElementType);
        BeginMessage(o, TensorTypeShape, ShapeSize(v));
        foreach (var d in v.Shape)
        {
            BeginMessage(o, ShapeDim, DimSize(d));
            if (d.Parameter is { } p) WriteString(o, DimParam, p);
            else WriteInt64(o, DimValue, d.Value);
        }
    }

    private static string ProducerVersion => typeof(OnnxSerializer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static long Int64Field(int field, long value) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value);

    private static long StringField(int field, string value) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);

    private static long MessageField(int field, long length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(checked((int)Math.Min(length, int.MaxValue))) + length;

    private static void WriteInt64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireType.Varint);
        o.WriteInt64(value);
    }

    private static void WriteString(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void BeginMessage(CodedOutputStream o, int field, long length)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteLength(checked((int)length));
    }
}
