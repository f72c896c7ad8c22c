using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Profiler.Core;

namespace Profiler.Measurement.Store;

/// <summary>What the raw store holds for one case: its bursts in round order.</summary>
/// <param name="Invocations">Invocations per iteration, fixed by the pilot in the first burst.</param>
/// <param name="Bursts">Bursts in round order.</param>
/// <param name="Done">True once the stop rule ended the case.</param>
/// <param name="Converged">True when it ended by reaching the CI target.</param>
public sealed record StoredCase(int Invocations, IReadOnlyList<Burst> Bursts, bool Done, bool Converged);

/// <summary>One burst: the iterations a case got in one round, in nanoseconds per invocation.</summary>
/// <param name="Round">Round index.</param>
/// <param name="Samples">Nanoseconds per invocation, one per iteration.</param>
public sealed record Burst(int Round, IReadOnlyList<double> Samples);

/// <summary>
/// The crash-safe raw store: every timed sample of a run, in SQLite. Each burst commits in one transaction, so a
/// run killed at any point loses at most the burst in flight, and <c>--resume</c> re-measures only that. Each burst
/// and each sentinel boundary is stored with a checksum of its samples: a store edited by hand (a sample changed,
/// added or deleted) is refused when it is read, not used.
/// </summary>
public sealed class RawStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS burst(id INTEGER PRIMARY KEY AUTOINCREMENT, case_key TEXT NOT NULL,
            round INTEGER NOT NULL, invocations INTEGER NOT NULL, done INTEGER NOT NULL, converged INTEGER NOT NULL,
            checksum TEXT NOT NULL, UNIQUE(case_key, round));
        CREATE TABLE IF NOT EXISTS sample(burst_id INTEGER NOT NULL, idx INTEGER NOT NULL, ns REAL NOT NULL,
            PRIMARY KEY(burst_id, idx));
        CREATE TABLE IF NOT EXISTS sentinel(boundary INTEGER NOT NULL, idx INTEGER NOT NULL, ns REAL NOT NULL,
            PRIMARY KEY(boundary, idx));
        CREATE TABLE IF NOT EXISTS sentinel_sum(boundary INTEGER PRIMARY KEY, checksum TEXT NOT NULL);
        """;

    /// <summary>What SQLite keeps beside a store's path: the store itself, its write-ahead log and its shared memory.</summary>
    public static IReadOnlyList<string> FileSuffixes { get; } = ["", "-wal", "-shm"];

    private readonly SqliteConnection connection;
    private readonly FileStream? holder;

    /// <summary>Path of the store's file.</summary>
    public string Path { get; }

    private RawStore(string path, SqliteConnection connection, FileStream? holder)
    {
        Path = path;
        this.connection = connection;
        this.holder = holder;
    }

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/> and holds it until disposed: a second run on
    /// the same store is refused at once, not when the two first write the same burst. A store whose pages fail
    /// SQLite's integrity check is refused too. <paramref name="startOver"/> deletes what the store held first.
    /// With <paramref name="hold"/> false no lock file is taken: to read a store beside a run that may hold it
    /// (<c>compare --estimators</c>), or for a private temporary store that no other run can name.
    /// </summary>
    public static RawStore Open(string path, bool startOver = false, bool hold = true)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var holder = hold ? Hold(full, path) : null;
        // Started over only once held, so that a run never deletes the store another run is writing.
        if (startOver)
        {
            foreach (var suffix in FileSuffixes)
                File.Delete(full + suffix);
        }
        // Pooling off: the file handle closes with Dispose, so a finished run can delete or move the store.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // WAL with synchronous=NORMAL: a commit survives the process being killed (it is in the log once written);
            // only a power cut can lose the last few bursts, and never corrupts the store. FULL cost 0.6 ms a burst.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            if (Scalar(connection, "PRAGMA quick_check;") is var check && check != "ok")
                throw new InputException($"{path} is a damaged raw store (SQLite's integrity check: {Shortened(check.ReplaceLineEndings(" "))}); start over with --force");
            Execute(connection, Schema);
            if (!Scalar(connection, "SELECT group_concat(name) FROM pragma_table_info('burst')").Split(',').Contains("checksum"))
                throw new InputException($"{path} was written by an older version of this tool (its bursts carry no checksum); start over with --force");
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            holder?.Dispose();
            throw new InputException($"{path} is not a usable raw store: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch (InputException)
        {
            connection.Dispose();
            holder?.Dispose();
            throw;
        }
        return new RawStore(full, connection, holder);
    }

    /// <summary>
    /// Refuses (with an <see cref="InputException"/>) when another run holds the store at <paramref name="path"/>:
    /// checked before any advice about the store's state, which would not apply while that run goes on.
    /// </summary>
    public static void ThrowIfInUse(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full + ".lock")) return;
        using var held = Hold(full, path);
    }

    /// <summary>
    /// Takes the store's lock file (NAME.lock beside it) for this process alone: .NET holds it with an OS lock that
    /// is freed when the process ends, however it ends, so a killed run still resumes. Readers of the store itself are
    /// not blocked.
    /// </summary>
    private static FileStream Hold(string full, string path)
    {
        try
        {
            return new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InputException($"{path} is in use by another run (its lock file is held); wait for that run, or give this one another --out", e);
        }
    }

    private static string Shortened(string text) => text.Length <= 120 ? text : text[..120] + " …";

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Reads a metadata value, or null.</summary>
    public string? GetMeta(string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Writes a metadata value (committed at once).</summary>
    public void SetMeta(string key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    /// <summary>Commits one burst of a case and, if it ended the case, that fact, in one transaction.</summary>
    public void CommitBurst(string caseKey, int round, int invocations, IReadOnlyList<double> samples, bool done, bool converged)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO burst(case_key, round, invocations, done, converged, checksum) VALUES($c, $r, $i, $d, $v, $s);
            SELECT last_insert_rowid();
            """;
        insert.Parameters.AddWithValue("$c", caseKey);
        insert.Parameters.AddWithValue("$r", round);
        insert.Parameters.AddWithValue("$i", invocations);
        insert.Parameters.AddWithValue("$d", done ? 1 : 0);
        insert.Parameters.AddWithValue("$v", converged ? 1 : 0);
        insert.Parameters.AddWithValue("$s", Checksum($"{caseKey}|{round}|{invocations}", samples));
        long id = (long)insert.ExecuteScalar()!;
        InsertSamples(transaction, "INSERT INTO sample(burst_id, idx, ns) VALUES($o, $x, $n)", id, samples);
        transaction.Commit();
    }

    /// <summary>Commits the sentinel samples timed at a round boundary.</summary>
    public void CommitSentinel(int boundary, IReadOnlyList<double> samples)
    {
        using var transaction = connection.BeginTransaction();
        InsertSamples(transaction, "INSERT INTO sentinel(boundary, idx, ns) VALUES($o, $x, $n)", boundary, samples);
        using (var sum = connection.CreateCommand())
        {
            sum.Transaction = transaction;
            sum.CommandText = "INSERT INTO sentinel_sum(boundary, checksum) VALUES($b, $s)";
            sum.Parameters.AddWithValue("$b", boundary);
            sum.Parameters.AddWithValue("$s", Checksum($"sentinel|{boundary}", samples));
            sum.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Every case in the store, by case key.</summary>
    public Dictionary<string, StoredCase> LoadCases()
    {
        var samples = new Dictionary<long, List<double>>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT burst_id, ns FROM sample ORDER BY burst_id, idx";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                long id = reader.GetInt64(0);
                if (!samples.TryGetValue(id, out var list)) samples[id] = list = [];
                list.Add(reader.GetDouble(1));
            }
        }
        var rows = new List<(string Key, long Id, int Round, int Invocations, bool Done, bool Converged)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT case_key, id, round, invocations, done, converged, checksum FROM burst ORDER BY case_key, round";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var row = (reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4) != 0, reader.GetInt32(5) != 0);
                var stored = samples.GetValueOrDefault(row.Item2) ?? [];
                if (reader.GetString(6) != Checksum($"{row.Item1}|{row.Item3}|{row.Item4}", stored))
                    throw Edited($"round {row.Item3} of {row.Item1}");
                rows.Add(row);
            }
        }
        return rows.GroupBy(r => r.Key).ToDictionary(
            g => g.Key,
            g => new StoredCase(
                g.First().Invocations,
                g.Select(r => new Burst(r.Round, samples.GetValueOrDefault(r.Id) ?? [])).ToList(),
                g.Any(r => r.Done),
                g.Any(r => r.Converged)));
    }

    /// <summary>Sentinel samples by round boundary.</summary>
    public SortedDictionary<int, List<double>> LoadSentinels()
    {
        var result = new SortedDictionary<int, List<double>>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT boundary, ns FROM sentinel ORDER BY boundary, idx";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                int boundary = reader.GetInt32(0);
                if (!result.TryGetValue(boundary, out var list)) result[boundary] = list = [];
                list.Add(reader.GetDouble(1));
            }
        }
        var sums = new Dictionary<int, string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT boundary, checksum FROM sentinel_sum";
            using var reader = command.ExecuteReader();
            while (reader.Read()) sums[reader.GetInt32(0)] = reader.GetString(1);
        }
        foreach (var boundary in result.Keys.Union(sums.Keys))
        {
            if (sums.GetValueOrDefault(boundary) != Checksum($"sentinel|{boundary}", result.GetValueOrDefault(boundary) ?? []))
                throw Edited($"the sentinel at round boundary {boundary}");
        }
        return result;
    }

    /// <summary>Closes the store and lets the next run take it.</summary>
    public void Dispose()
    {
        connection.Dispose();
        // The lock file stays: deleting it could let two later runs each hold a file of that name.
        holder?.Dispose();
    }

    /// <summary>A short hash of a burst's identity and its samples, bit for bit.</summary>
    private static string Checksum(string identity, IReadOnlyList<double> samples)
    {
        var values = samples as double[] ?? samples.ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(identity));
        hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private InputException Edited(string what) =>
        new($"{Path}: the samples of {what} do not match their checksum (the store was edited or damaged); start over with --force");

    private void InsertSamples(SqliteTransaction transaction, string sql, long owner, IReadOnlyList<double> samples)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var o = command.Parameters.Add("$o", SqliteType.Integer);
        var x = command.Parameters.Add("$x", SqliteType.Integer);
        var n = command.Parameters.Add("$n", SqliteType.Real);
        for (int i = 0; i < samples.Count; i++)
        {
            o.Value = owner;
            x.Value = i;
            n.Value = samples[i];
            command.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
