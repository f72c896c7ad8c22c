using Profiler.CostModel.Surrogate;

namespace Profiler.Tests.CostModel;

public class PublishedSurrogateTests
{
    [Fact]
    public void EveryPublishedSurrogateStillReadsWithItsHash()
    {
        // A change to the surrogate's types must not turn the published files into "edited or damaged" ones.
        var files = Directory.GetFiles(RepositoryFiles.ProfilesFolder, "*.surrogate.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var document = SurrogateFile.Read(file);
            Assert.NotEmpty(document.Models);
        }
    }
}
