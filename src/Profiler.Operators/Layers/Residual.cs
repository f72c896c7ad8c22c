using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Operators.Layers;

/// <summary>
/// x + y for the hot residual additions. TorchSharp's <c>a + b</c> calls <c>add(b, 1)</c> with a temporary
/// <see cref="Scalar"/> that nothing references once its handle is read, so a garbage collection during the native
/// call can free it under libtorch's feet (seen here as "Exception raised from toFloat" after hundreds of training
/// steps). This scalar lives as long as the program.
/// </summary>
public static class Residual
{
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>x + y, element-wise with broadcasting.</summary>
    public static Tensor Add(Tensor x, Tensor y) => x.add(y, One);
}
