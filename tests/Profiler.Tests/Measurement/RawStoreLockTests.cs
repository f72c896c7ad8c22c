using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Tests.Measurement;

/// <summary>The raw store is held by one run at a time and refuses damaged pages when opened.</summary>
public sealed class RawStoreLockTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-store-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_store_held_by_a_run_is_refused_to_a_second_one_at_once_and_free_again_after()
    {
        var path = Path.Combine(folder, "x.raw.sqlite");
        using (var first = RawStore.Open(path))
        {
            first.CommitBurst("case", 0, 1, [100.0, 101.0], false, false);
            var started = DateTime.UtcNow;
            var e = Assert.Throws<InputException>(() => RawStore.Open(path));
            Assert.Contains("in use by another run", e.Message);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the refusal waited");
            // A reader (compare --estimators) is not a second run: it reads beside the holder.
            using var reader = RawStore.Open(path, hold: false);
            Assert.Single(reader.LoadCases());
        }
        using var again = RawStore.Open(path);
        Assert.Single(again.LoadCases());
    }

    [Fact]
    public void A_store_with_random_bytes_written_into_it_is_refused_when_opened()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var path = Path.Combine(folder, "damaged.raw.sqlite");
        using (var store = RawStore.Open(path))
        {
            for (int round = 0; round < 200; round++)
                store.CommitBurst($"case {round % 7}", round, 3, Enumerable.Range(0, 8).Select(_ => 1000 * rng.NextDouble() + 1).ToArray(), false, false);
        }
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 16 * 1024, $"the store is only {bytes.Length} bytes");
        // 8 KiB of noise past the header page, where the tables' pages are.
        var noise = new byte[8 * 1024];
        rng.NextBytes(noise);
        noise.CopyTo(bytes, 4096 + rng.Next(bytes.Length - 4096 - noise.Length));
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InputException>(() => RawStore.Open(path));
        Assert.True(e.Message.Contains("damaged raw store") || e.Message.Contains("not a usable raw store"), $"seed {seed}: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
    }
}
