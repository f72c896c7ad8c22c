using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Operators.Layers;

/// <summary>
/// x + y for the hot residual additions. TorchSharp's <c>a + b</c> calls <c>add(b, 1)</c> with a temporary
/// <see cref="Scalar"/> that nothing references once its handle is read, so a garbage collection during the native
/// call can free it under libtorch's feet (seen here as "Exception raised from toFloat" after hundreds of training
/// steps; and on index tensors as "For integral input tensors, argument alpha must not be a floating point number").
/// This scalar lives as long as the program; the reductions' index arithmetic uses it too.
/// </summary>
public static class Residual
{
    /// <summary>The integer 1 as a scalar that is never collected, for <c>alpha</c> arguments.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>x + y, element-wise with broadcasting.</summary>
    public static Tensor Add(Tensor x, Tensor y) => x.add(y, One);
}
