using Profiler.Measurement.Backends;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Measurement.Forward;

/// <summary>
/// A whole-model forward as the engine times it: in inference mode, on fresh inputs drawn between bursts, its
/// temporaries freed inside each invocation (as in the operator cases). A subclass draws an input and runs the
/// forward on it; it calls <see cref="DrawFirst"/> once its own fields are set.
/// </summary>
/// <typeparam name="TInput">One input of the forward (a tensor, a batch of questions).</typeparam>
public abstract class ForwardRunner<TInput>(Device device) : ICaseRunner where TInput : class, IDisposable
{
    private TInput? input;

    /// <summary>The device the forward runs on.</summary>
    protected Device Device { get; } = device;

    /// <inheritdoc />
    public abstract double Flops { get; }

    /// <inheritdoc />
    public abstract double Bytes { get; }

    /// <summary>Draws the first input; the subclass's constructor calls it last.</summary>
    protected void DrawFirst() => input = Draw();

    /// <summary>A fresh input on <see cref="Device"/>.</summary>
    protected abstract TInput Draw();

    /// <summary>The forward on <paramref name="current"/>, inside no_grad and a dispose scope.</summary>
    protected abstract void Forward(TInput current);

    /// <summary>Frees what the subclass holds besides the input.</summary>
    protected virtual void Release()
    {
    }

    /// <inheritdoc />
    public void RefreshInputs()
    {
        var old = input;
        input = Draw();
        old?.Dispose();
    }

    /// <inheritdoc />
    public void Invoke()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Forward(input ?? throw new InvalidOperationException("the runner drew no input: call DrawFirst in its constructor"));
    }

    /// <inheritdoc />
    public void Synchronize()
    {
        if (Device.type == DeviceType.CUDA) cuda.synchronize(Device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        input?.Dispose();
        Release();
        GC.SuppressFinalize(this);
    }
}
