namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// A linear layer y = x·W + b with W stored In×Out, row-major: the layout MatMul reads, so a llava-size matrix goes
/// into the model without a transposition. It is the transpose of torch's nn.Linear weight (Out×In).
/// </summary>
/// <param name="In">Input features.</param>
/// <param name="Out">Output features.</param>
/// <param name="Weight">In×Out weights, row-major.</param>
/// <param name="Bias">Out biases.</param>
public sealed record LinearWeights(int In, int Out, float[] Weight, float[] Bias);

/// <summary>Layer-norm scale γ and shift β over the hidden dimension.</summary>
public sealed record NormWeights(float[] Gamma, float[] Beta);

/// <summary>Attention: QKV projection (d → 3d, q then k then v) and output projection (d → d).</summary>
public sealed record AttentionWeights(int Heads, LinearWeights Qkv, LinearWeights Proj);

/// <summary>The two-matrix MLP: d → m, GELU, m → d.</summary>
public sealed record MlpWeights(LinearWeights Fc1, LinearWeights Fc2);

/// <summary>A pre-norm encoder layer.</summary>
public sealed record BlockWeights(NormWeights Norm1, AttentionWeights Attention, NormWeights Norm2, MlpWeights Mlp);
