using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;
using Profiler.Profiles.Json;
using Xunit.Abstractions;

namespace Profiler.Tests.Cli;

/// <summary>
/// Mutated copies of the published tiny profile and its surrogate (<see cref="FileMutations"/>), half of them
/// re-hashed so that they pass the hash check and reach the deeper checks, through the real program. Every command
/// must exit 0 or 2; on 2, print one line; never a stack trace; and no file that existed before may change. A fixed
/// number of cases per run; the seed is printed and is in every failure message (replay with PROFILER_FUZZ_SEED).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Mutated files per test and CI run; PROFILER_FUZZ_CASES sets another count for a longer local run.</summary>
    public static int Cases { get; } = int.TryParse(Environment.GetEnvironmentVariable("PROFILER_FUZZ_CASES"), out var n) && n > 0 ? n : 16;

    private static readonly JsonSerializerOptions SurrogateOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly string folder = Directory.CreateTempSubdirectory("profiler-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Published(string name) => Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny." + name);

    private int Seed(string what)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PROFILER_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"fuzz: {Cases} mutated {what}, seed {seed} (replay with PROFILER_FUZZ_SEED={seed})");
        return seed;
    }

    [Fact]
    public void Mutated_profiles_exit_0_or_2_with_one_line_and_change_no_file()
    {
        int seed = Seed("profiles");
        var mutations = new FileMutations(seed);
        var rehash = new Random(seed);
        var good = File.ReadAllBytes(Published("profile.json"));
        for (int i = 0; i < Cases; i++)
        {
            var (bytes, what) = mutations.Mutate(good);
            if (rehash.Next(2) == 0 && RehashedProfile(bytes) is { } hashed) (bytes, what) = (hashed, what + ", re-hashed");
            var path = Path.Combine(folder, $"case{i}.profile.json");
            File.WriteAllBytes(path, bytes);
            var context = $"seed {seed}, case {i} ({what})";
            Check(context, "validate", path);
            Check(context, "show", path);
            var published = Path.Combine(folder, $"published{i}");
            if (Check(context, "publish", path, "--dir", published) == 0) Check(context, "list", "--dir", published);
        }
    }

    [Fact]
    public void Mutated_surrogates_exit_0_or_2_with_one_line_and_change_no_file()
    {
        int seed = Seed("surrogates");
        var mutations = new FileMutations(seed);
        var rehash = new Random(seed);
        var good = File.ReadAllBytes(Published("surrogate.json"));
        var profile = Path.Combine(folder, "tiny.profile.json");
        File.Copy(Published("profile.json"), profile);
        for (int i = 0; i < Cases; i++)
        {
            var (bytes, what) = mutations.Mutate(good);
            if (rehash.Next(2) == 0 && RehashedSurrogate(bytes) is { } hashed) (bytes, what) = (hashed, what + ", re-hashed");
            var path = Path.Combine(folder, $"case{i}.surrogate.json");
            File.WriteAllBytes(path, bytes);
            var context = $"seed {seed}, case {i} ({what})";
            Check(context, "predict", path, "--model", "tiny");
            Check(context, "publish", profile, "--surrogate", path, "--dir", Path.Combine(folder, $"published{i}"));
        }
    }

    private int Check(string context, params string[] args)
    {
        var before = Snapshot();
        var result = CliProcess.Run(args);
        var where = $"{context}: profiler {args[0]} exited {result.ExitCode}: {result.Stderr}";
        Assert.True(result.ExitCode is 0 or 2, where);
        Assert.False(CliProcess.HasStackTrace(result.Stdout + result.Stderr), where);
        if (result.ExitCode == 2)
            Assert.True(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, where);
        var after = Snapshot();
        foreach (var (file, hash) in before)
            Assert.True(after.TryGetValue(file, out var now) && now == hash, $"{where} — {file} changed");
        if (result.ExitCode == 2) Assert.True(after.Count == before.Count, $"{where} — a refused command left files behind");
        return result.ExitCode;
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    // A mutated profile that still parses, written again with its hash recomputed, or null.
    private static byte[]? RehashedProfile(byte[] bytes)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes);
            var document = ProfileJsonParser.Parse(json.RootElement).WithComputedHash();
            return ProfileJsonWriter.File(document);
        }
        catch (Exception e) when (e is JsonException or ProfileFormatException or InvalidOperationException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    // A mutated surrogate that still deserializes, with its hash recomputed, or null.
    private static byte[]? RehashedSurrogate(byte[] bytes)
    {
        try
        {
            var document = JsonSerializer.Deserialize<SurrogateDocument>(bytes, SurrogateOptions);
            return document is null ? null : SurrogateFile.Serialize(document);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            return null;
        }
    }
}
