using Microsoft.Data.Sqlite;
using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Tests.Measurement;

/// <summary>A raw store edited by hand is refused when read: its samples no longer match their checksums.</summary>
public sealed class RawStoreChecksumTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-store-").FullName;
    private readonly int seed = Random.Shared.Next();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Filled(out double[] samples)
    {
        var rng = new Random(seed);
        samples = Enumerable.Range(0, 6).Select(_ => 80_000 + 10_000 * rng.NextDouble()).ToArray();
        var path = Path.Combine(folder, "run.raw.sqlite");
        using var store = RawStore.Open(path);
        store.CommitBurst("mlp n=64->64 d=128 h=4 m=512 b=1 float32", 0, 3, samples, done: false, converged: false);
        store.CommitBurst("mlp n=64->64 d=128 h=4 m=512 b=1 float32", 1, 3, samples.Reverse().ToArray(), done: true, converged: true);
        store.CommitSentinel(0, samples);
        return path;
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void An_untouched_store_reads_back_bit_for_bit()
    {
        var path = Filled(out var samples);
        using var store = RawStore.Open(path);
        var stored = Assert.Single(store.LoadCases()).Value;
        Assert.Equal(samples, stored.Bursts[0].Samples);
        Assert.Equal(samples, store.LoadSentinels()[0]);
    }

    [Theory]
    [InlineData("UPDATE sample SET ns = ns * 1000 WHERE idx = 2 AND burst_id = (SELECT max(burst_id) FROM sample)", "round 1 of mlp")]
    [InlineData("DELETE FROM sample WHERE idx = 5 AND burst_id = (SELECT min(burst_id) FROM sample)", "round 0 of mlp")]
    [InlineData("UPDATE burst SET invocations = 30 WHERE round = 0", "round 0 of mlp")]
    public void An_edited_burst_is_refused_naming_it(string edit, string expected)
    {
        var path = Filled(out _);
        Sql(path, edit);
        using var store = RawStore.Open(path);
        var e = Assert.Throws<InputException>(() => store.LoadCases());
        Assert.Contains(expected, e.Message);
        Assert.Contains("checksum", e.Message);
        Assert.True(e.Message.StartsWith(store.Path, StringComparison.Ordinal), $"seed {seed}: {e.Message}");
    }

    [Fact]
    public void An_edited_sentinel_is_refused()
    {
        var path = Filled(out _);
        Sql(path, "UPDATE sentinel SET ns = 1 WHERE idx = 0");
        using var store = RawStore.Open(path);
        var e = Assert.Throws<InputException>(() => store.LoadSentinels());
        Assert.Contains("sentinel at round boundary 0", e.Message);
    }

    [Fact]
    public void A_store_of_the_older_layout_is_refused_when_opened()
    {
        var path = Path.Combine(folder, "old.raw.sqlite");
        Sql(path, "CREATE TABLE burst(id INTEGER PRIMARY KEY AUTOINCREMENT, case_key TEXT NOT NULL, round INTEGER NOT NULL, invocations INTEGER NOT NULL, done INTEGER NOT NULL, converged INTEGER NOT NULL, UNIQUE(case_key, round))");
        var e = Assert.Throws<InputException>(() => RawStore.Open(path));
        Assert.Contains("older version", e.Message);
    }
}
