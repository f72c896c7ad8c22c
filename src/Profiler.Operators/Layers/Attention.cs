using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Operators.Layers;

/// <summary>What one attention call returns: the output and, when asked, what reductions need from it.</summary>
/// <param name="Output">B×N×C output after the output projection.</param>
/// <param name="Weights">B×H×N×N attention probabilities, or null when not asked for.</param>
/// <param name="Keys">B×N×C keys (heads concatenated), or null when not asked for.</param>
public sealed record AttentionOutput(Tensor Output, Tensor? Weights, Tensor? Keys);

/// <summary>
/// Multi-head self-attention: QKV projection, scaled dot-product attention, output projection. Without weights
/// asked for, the fused <c>scaled_dot_product_attention</c> runs; a score that needs the attention probabilities
/// (CLS attention) forces the unfused path, and that cost is part of what the profiler must time.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int heads;

    /// <summary>Creates attention for hidden size <paramref name="hidden"/> and <paramref name="heads"/> heads.</summary>
    public Attention(int hidden, int heads) : base(nameof(Attention))
    {
        if (hidden % heads != 0) throw new ArgumentException($"heads ({heads}) must divide hidden ({hidden})");
        this.heads = heads;
        qkv = nn.Linear(hidden, 3 * hidden);
        proj = nn.Linear(hidden, hidden);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Forward(x).Output;

    /// <summary>
    /// Attention with an optional additive logit bias (broadcastable to B×H×N×N: log-sizes for proportional
    /// attention, or −∞ masks), optionally returning the probabilities and the keys.
    /// </summary>
    public AttentionOutput Forward(Tensor x, Tensor? bias = null, bool needWeights = false, bool needKeys = false)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        long dh = c / heads;
        // B×N×3C → 3×B×H×N×dh
        var parts = qkv.forward(x).view(b, n, 3, heads, dh).permute(2, 0, 3, 1, 4);
        Tensor q = parts[0], k = parts[1], v = parts[2];
        Tensor? weights = null;
        Tensor context;
        if (needWeights)
        {
            var logits = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / Math.Sqrt(dh));
            if (bias is not null) logits = logits + bias;
            weights = logits.softmax(-1);
            context = torch.matmul(weights, v);
        }
        else
        {
            context = nn.functional.scaled_dot_product_attention(q, k, v, bias);
        }
        var output = proj.forward(context.transpose(1, 2).reshape(b, n, c));
        var keys = needKeys ? k.transpose(1, 2).reshape(b, n, c) : null;
        return new AttentionOutput(output, weights, keys);
    }

    /// <summary>FLOPs (2 per multiply-accumulate) of one call on n tokens: 8·n·d² + 4·n²·d per batch item.</summary>
    public static double Flops(long n, long hidden, long batch = 1) =>
        batch * (8.0 * n * hidden * hidden + 4.0 * n * n * hidden);

    /// <summary>Compulsory bytes moved (float32): weights and biases once, input read, output written.</summary>
    public static double Bytes(long n, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * (4.0 * hidden * hidden + 4.0 * hidden + 2.0 * batch * n * hidden);
}
