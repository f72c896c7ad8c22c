using Profiler.Core;
using Profiler.Measurement.Backends;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Keeps prepared cases between bursts so a case's weights are built once, and evicts the least recently used
/// when their compulsory bytes pass a limit (a llava-size block holds over half a gigabyte of weights).
/// </summary>
internal sealed class RunnerCache(IBackend backend, int seed, double byteLimit = 1.5e9) : IDisposable
{
    private readonly LinkedList<(string Key, ICaseRunner Runner)> order = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, ICaseRunner Runner)>> byKey = [];
    private readonly Dictionary<string, (double Flops, double Bytes)> costs = [];
    private ICaseRunner? sentinel;

    public ICaseRunner Get(OperatorCase c)
    {
        if (byKey.TryGetValue(c.Key, out var node))
        {
            order.Remove(node);
            order.AddFirst(node);
            return node.Value.Runner;
        }
        var runner = backend.Prepare(c, seed);
        costs[c.Key] = (runner.Flops, runner.Bytes);
        byKey[c.Key] = order.AddFirst((c.Key, runner));
        while (order.Count > 1 && order.Sum(n => n.Runner.Bytes) > byteLimit)
        {
            var oldest = order.Last!;
            order.RemoveLast();
            byKey.Remove(oldest.Value.Key);
            oldest.Value.Runner.Dispose();
        }
        return runner;
    }

    public ICaseRunner Sentinel(int size) => sentinel ??= backend.PrepareMatmul(size, seed);

    public (double Flops, double Bytes) Costs(OperatorCase c)
    {
        if (costs.TryGetValue(c.Key, out var known)) return known;
        using var runner = backend.Prepare(c, seed);
        return costs[c.Key] = (runner.Flops, runner.Bytes);
    }

    public void Dispose()
    {
        foreach (var (_, runner) in order) runner.Dispose();
        sentinel?.Dispose();
    }
}
