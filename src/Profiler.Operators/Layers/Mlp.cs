using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Operators.Layers;

/// <summary>The two-matrix transformer MLP: Linear(d→m), GELU, Linear(m→d).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Creates an MLP of hidden size <paramref name="hidden"/> and inner size <paramref name="mlpSize"/>.</summary>
    public Mlp(int hidden, int mlpSize) : base(nameof(Mlp))
    {
        fc1 = nn.Linear(hidden, mlpSize);
        fc2 = nn.Linear(mlpSize, hidden);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => fc2.forward(nn.functional.gelu(fc1.forward(x)));

    /// <summary>FLOPs (2 per multiply-accumulate): 4·n·d·m per batch item.</summary>
    public static double Flops(long n, long hidden, long mlpSize, long batch = 1) => batch * 4.0 * n * hidden * mlpSize;

    /// <summary>Compulsory bytes moved (float32): both weight matrices and biases, input read, output written.</summary>
    public static double Bytes(long n, long hidden, long mlpSize, long batch = 1, int elementBytes = 4) =>
        elementBytes * (2.0 * hidden * mlpSize + hidden + mlpSize + 2.0 * batch * n * hidden);
}
