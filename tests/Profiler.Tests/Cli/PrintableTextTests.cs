using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary>Text from a shared file reaches the terminal as text: no markup is interpreted, no control byte is sent.</summary>
public sealed class PrintableTextTests
{
    [Fact]
    public void Control_characters_become_visible_escapes_and_the_rest_is_kept()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var text = new string(Enumerable.Range(0, 200).Select(_ => (char)rng.Next(0, 0x250)).ToArray());
        var printable = PrintableText.Of(text);

        Assert.DoesNotContain(printable, char.IsControl);
        Assert.Equal(text.Length + 5 * text.Count(char.IsControl), printable.Length);
        int j = 0;
        foreach (var c in text)
        {
            var expected = char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString();
            Assert.True(string.CompareOrdinal(printable, j, expected, 0, expected.Length) == 0, $"seed {seed}: at {j}");
            j += expected.Length;
        }
        Assert.Equal("a\\u001B[31mb", PrintableText.Of("a\u001b[31mb"));
    }

    [Fact]
    public void Show_and_compare_print_a_cpu_name_with_markup_and_escape_codes_as_text()
    {
        using var folder = new TempFolder();
        var path = folder.File("hostile.profile.json");
        var doc = SampleProfiles.Random(11);
        var cpu = "cpu [/] [red]x\u001b[2J\u001b[31m";
        ProfileWriter.Write(path, doc with { Fingerprint = doc.Fingerprint with { CpuModel = cpu } }, force: false);

        var shown = CliProcess.Run("show", path);
        var compared = CliProcess.Run("compare", path, path);

        foreach (var result in new[] { shown, compared })
        {
            Assert.True(result.ExitCode == 0, result.Stderr);
            // Spectre.Console writes no colour codes to a redirected output: an escape byte here would be the file's.
            Assert.DoesNotContain('\u001b', result.Stdout);
            Assert.Contains("[red]x", result.Stdout);
            Assert.Contains("\\u001B[2J", result.Stdout);
        }
    }
}
