using static TorchSharp.torch;

namespace Profiler.CostModel.Features;

/// <summary>
/// A quadratic polynomial in the token counts n (in) and k (out): c₀ + c₁n + c₂k + c₃n² + c₄nk + c₅k². For a fixed
/// shape every cost feature (FLOPs, bytes, activations) is one, so every linear cost model is one too, and the
/// surrogate can evaluate it at fractional token counts with a gradient.
/// </summary>
public sealed record QuadraticForm
{
    /// <summary>Number of coefficients.</summary>
    public const int Terms = 6;

    private readonly double[] coefficients;

    /// <summary>Creates the form from its six coefficients in the order 1, n, k, n², nk, k².</summary>
    public QuadraticForm(IReadOnlyList<double> coefficients)
    {
        if (coefficients.Count != Terms) throw new ArgumentException($"a quadratic form has {Terms} coefficients", nameof(coefficients));
        this.coefficients = coefficients.ToArray();
    }

    /// <summary>The zero polynomial.</summary>
    public static QuadraticForm Zero { get; } = new(new double[Terms]);

    /// <summary>The constant polynomial <paramref name="value"/>.</summary>
    public static QuadraticForm Constant(double value) => new([value, 0, 0, 0, 0, 0]);

    /// <summary>Coefficients in the order 1, n, k, n², nk, k².</summary>
    public IReadOnlyList<double> Coefficients => coefficients;

    /// <summary>The monomials 1, n, k, n², nk, k² at a point.</summary>
    public static double[] Monomials(double n, double k) => [1, n, k, n * n, n * k, k * k];

    /// <summary>Value at (n, k).</summary>
    public double Evaluate(double n, double k)
    {
        var c = coefficients;
        return c[0] + n * (c[1] + c[3] * n + c[4] * k) + k * (c[2] + c[5] * k);
    }

    /// <summary>Value at tensors of token counts (same shape); differentiable in both.</summary>
    public Tensor Evaluate(Tensor n, Tensor k)
    {
        var c = coefficients;
        return n * (c[3] * n + c[4] * k + c[1]) + k * (c[5] * k + c[2]) + c[0];
    }

    /// <summary>Sum of two forms.</summary>
    public static QuadraticForm operator +(QuadraticForm a, QuadraticForm b) =>
        new(a.coefficients.Zip(b.coefficients, (x, y) => x + y).ToArray());

    /// <summary>A form scaled by a number.</summary>
    public static QuadraticForm operator *(double factor, QuadraticForm a) =>
        new(a.coefficients.Select(x => factor * x).ToArray());

    /// <summary>Value equality over the coefficients.</summary>
    public bool Equals(QuadraticForm? other) => other is not null && coefficients.SequenceEqual(other.coefficients);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(coefficients[0], coefficients[1], coefficients[3]);
}
