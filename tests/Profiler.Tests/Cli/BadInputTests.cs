namespace Profiler.Tests.Cli;

public sealed class BadInputTests
{
    public static TheoryData<string[], string> BadCommands => new()
    {
        { ["profile", "--ops", "attention,conv", "--out", "x.profile.json"], "unknown operator 'conv'" },
        { ["profile", "--preset", "vit-h", "--out", "x.profile.json"], "unknown preset 'vit-h'" },
        { ["profile", "--tokens", "64:16:8", "--out", "x.profile.json"], "token range" },
        { ["profile", "--device", "cuda:0", "--tokens", "16", "--out", "x.profile.json"], "TorchSharp-cuda" },
        { ["profile", "--device", "dml:0", "--tokens", "16", "--out", "x.profile.json"], "--backend onnx" },
        { ["profile", "--backend", "tensorflow", "--tokens", "16", "--out", "x.profile.json"], "unknown backend" },
        { ["profile", "--heads", "5", "--tokens", "16", "--out", "x.profile.json"], "must divide the hidden size" },
        { ["profile", "--budget", "5", "--out", "x.profile.json"], "not a duration with a unit" },
        { ["profile", "--threads", "0", "--out", "x.profile.json"], "--threads must be positive" },
        { ["profile", "--resume", "--out", "nothing-here/x.profile.json"], "nothing to resume" },
        { ["profile", "--budget", "0s", "--out", "x.profile.json"], "--budget must be more than 0" },
        { ["profile", "--budget", "1e300h", "--out", "x.profile.json"], "not a duration with a unit" },
        { ["profile", "--budget", "30d", "--out", "x.profile.json"], "not a duration with a unit" },
        { ["profile", "--budget", "9000h", "--out", "x.profile.json"], "--budget must be at most" },
        { ["profile", "--max-case-time", "0s", "--out", "x.profile.json"], "--max-case-time must be more than 0" },
        { ["profile", "--ops", ",", "--out", "x.profile.json"], "names no operator" },
        { ["profile", "--tokens", "100000", "--out", "x.profile.json"], "the most a case may have" },
        { ["profile", "--tokens", "1:100000:1", "--out", "x.profile.json"], "goes past 16384 tokens" },
        { ["profile", "--tokens", "1:5000:1", "--out", "x.profile.json"], "at most 1000" },
        { ["profile", "--threads", "9999", "--out", "x.profile.json"], "logical cores" },
        { ["profile", "--preset", "llava-1.5-7b", "--tokens", "16384", "--batch", "64", "--out", "x.profile.json"], "more than half of this machine's" },
        { ["profile", "--no-such-option"], "no-such-option" },
        { ["show", "does-not-exist.profile.json"], "does-not-exist.profile.json" },
        { ["validate", "does-not-exist.profile.json"], "does-not-exist.profile.json" },
        { ["evaluate", "--checkpoint", "does-not-exist.ckpt"], "checkpoint not found" },
        { ["evaluate", "--count", "0"], "--count must be positive" },
        { ["evaluate", "--plan", "does-not-exist.plan.json"], "plan file not found" },
        { ["train", "--steps", "0"], "steps must be positive" },
        { ["train", "--resume", "--run", "does-not-exist-run"], "holds no training run" },
        { ["search", "--surrogate", "does-not-exist.surrogate.json"], "does-not-exist.surrogate.json" },
        { ["search", "--surrogate", "s.json", "--cost", "time"], "--cost must be latency or flops" },
        { ["search", "--surrogate", "s.json", "--loss", "mse"], "--loss must be hinge or fbnet" },
        { ["search", "--surrogate", "s.json", "--score", "loudness"], "unknown score 'loudness'" },
        { ["search", "--surrogate", "s.json", "--score", "bogus"], "unknown score 'bogus'" },
        { ["search", "--surrogate", "s.json", "--target", "1.5"], "a fraction must lie in (0, 1]" },
        { ["search", "--surrogate", "s.json", "--target", "12"], "a fraction must lie in (0, 1]" },
        { ["journey", "--target", "0"], "--target must lie in (0, 1]" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void Bad_input_exits_2_with_one_line_and_no_stack_trace(string[] args, string expected)
    {
        var workdir = Directory.CreateTempSubdirectory("profiler-cli-").FullName;
        try
        {
            var fixedArgs = args.Select(a => a.EndsWith(".profile.json", StringComparison.Ordinal) ? Path.Combine(workdir, a) : a).ToArray();
            var result = CliProcess.Run(fixedArgs);
            Assert.Equal(2, result.ExitCode);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains(expected, lines[0]);
            Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
            Assert.Equal("", result.Stdout);
            // A refused command leaves nothing behind (no raw store that would block the corrected command).
            Assert.Empty(Directory.GetFiles(workdir, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(workdir, recursive: true);
        }
    }
}
