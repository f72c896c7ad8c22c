using Microsoft.ML.OnnxRuntime;
using Profiler.Backends.Onnx.Graphs;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// Inference sessions shared by the cases that run the same model (the same operator and sizes at other token
/// counts). The engine's runner cache drops big cases between rounds; the pool keeps their sessions while their
/// weights fit under <paramref name="idleByteLimit"/>, so a llava-size layer is built once, not once per round.
/// </summary>
internal sealed class SessionPool(Func<SessionOptions> createOptions, long idleByteLimit) : IDisposable
{
    private readonly Dictionary<string, Entry> entries = [];
    private readonly LinkedList<Entry> idle = new();

    /// <summary>A lease on the session of <paramref name="key"/>, built from <paramref name="build"/> when absent.</summary>
    public SessionLease Acquire(string key, Func<OnnxModel> build)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            var model = build();
            long bytes = model.InitializerBytes;
            using var options = createOptions();
            entry = new Entry(key, new InferenceSession(model.ToBytes(), options), bytes);
            entries[key] = entry;
        }
        if (entry.IdleNode is not null)
        {
            idle.Remove(entry.IdleNode);
            entry.IdleNode = null;
        }
        entry.Users++;
        return new SessionLease(entry.Session, () => Release(entry));
    }

    /// <summary>Disposes every session, leased or not.</summary>
    public void Dispose()
    {
        foreach (var entry in entries.Values) entry.Session.Dispose();
        entries.Clear();
        idle.Clear();
    }

    private void Release(Entry entry)
    {
        if (--entry.Users > 0 || !entries.ContainsKey(entry.Key)) return;
        entry.IdleNode = idle.AddFirst(entry);
        while (idle.Count > 0 && idle.Sum(e => e.Bytes) > idleByteLimit)
        {
            var oldest = idle.Last!.Value;
            idle.RemoveLast();
            entries.Remove(oldest.Key);
            oldest.Session.Dispose();
        }
    }

    private sealed class Entry(string key, InferenceSession session, long bytes)
    {
        public string Key { get; } = key;
        public InferenceSession Session { get; } = session;
        public long Bytes { get; } = bytes;
        public int Users { get; set; }
        public LinkedListNode<Entry>? IdleNode { get; set; }
    }
}
