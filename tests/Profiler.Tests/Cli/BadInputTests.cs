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
        { ["profile", "--no-such-option"], "no-such-option" },
        { ["show", "does-not-exist.profile.json"], "does-not-exist.profile.json" },
        { ["validate", "does-not-exist.profile.json"], "does-not-exist.profile.json" },
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
        }
        finally
        {
            Directory.Delete(workdir, recursive: true);
        }
    }
}
