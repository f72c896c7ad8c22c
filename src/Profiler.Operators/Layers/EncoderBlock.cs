using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Operators.Layers;

/// <summary>
/// A pre-norm transformer encoder layer: x + Attention(LN(x)), then x + MLP(LN(x)). The model applies a token
/// reduction between the two halves (after attention, as ToMe does), so both halves are public.
/// </summary>
public sealed class EncoderBlock : nn.Module<Tensor, Tensor>
{
    // Fields, not auto-properties: TorchSharp registers a module's fields by name (RegisterComponents), and an
    // auto-property's backing field would register every part a second time under a compiler-made name.
    private readonly LayerNorm norm1;
    private readonly Attention attention;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    /// <summary>Norm before attention.</summary>
    public LayerNorm Norm1 => norm1;
    /// <summary>Self-attention.</summary>
    public Attention Attention => attention;
    /// <summary>Norm before the MLP.</summary>
    public LayerNorm Norm2 => norm2;
    /// <summary>The MLP.</summary>
    public Mlp Mlp => mlp;

    /// <summary>Creates a layer of the given sizes.</summary>
    public EncoderBlock(int hidden, int heads, int mlpSize) : base(nameof(EncoderBlock))
    {
        norm1 = nn.LayerNorm(hidden);
        attention = new Attention(hidden, heads);
        norm2 = nn.LayerNorm(hidden);
        mlp = new Mlp(hidden, mlpSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        x = Residual.Add(x, Attention.forward(Norm1.forward(x)));
        return Residual.Add(x, Mlp.forward(Norm2.forward(x)));
    }

    /// <summary>Layer-norm FLOPs: about 7 per element (mean, centre, square, sum, scale by 1/σ, γ, β).</summary>
    public static double LayerNormFlops(long n, long hidden, long batch = 1) => batch * 7.0 * n * hidden;

    /// <summary>Layer-norm compulsory bytes (float32): input read, output written, γ and β.</summary>
    public static double LayerNormBytes(long n, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * (2.0 * batch * n * hidden + 2.0 * hidden);

    /// <summary>FLOPs of the whole layer: attention, MLP, two norms, two residual additions.</summary>
    public static double Flops(long n, long hidden, long mlpSize, long batch = 1) =>
        Attention.Flops(n, hidden, batch) + Mlp.Flops(n, hidden, mlpSize, batch)
        + 2 * LayerNormFlops(n, hidden, batch) + 2.0 * batch * n * hidden;

    /// <summary>Compulsory bytes of the whole layer (each part's weights once, activations in and out).</summary>
    public static double Bytes(long n, long hidden, long mlpSize, long batch = 1, int elementBytes = 4) =>
        Attention.Bytes(n, hidden, batch, elementBytes) + Mlp.Bytes(n, hidden, mlpSize, batch, elementBytes)
        + 2 * LayerNormBytes(n, hidden, batch, elementBytes);
}
