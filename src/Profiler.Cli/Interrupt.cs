namespace Profiler.Cli;

/// <summary>Ctrl+C as a cancellation: the first press asks the work to stop where it can keep what it has done.</summary>
internal static class Interrupt
{
    /// <summary>Runs <paramref name="work"/> with a token that Ctrl+C cancels; returns its result and whether it was stopped.</summary>
    public static (T Result, bool Stopped) Run<T>(Func<CancellationToken, T> work)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return (work(cancel.Token), cancel.IsCancellationRequested);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
