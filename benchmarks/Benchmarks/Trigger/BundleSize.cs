using System.IO.Compression;

namespace EventProcessor.Benchmarks;

/// <summary>What Lambda downloads: the publish folder's files, their size, and the size of the zip that is uploaded.</summary>
internal sealed record BundleSize(string Directory, int Files, long UnpackedBytes, long ZippedBytes)
{
    public static BundleSize Measure(string directory)
    {
        var files = System.IO.Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        var zip = Path.Combine(Path.GetTempPath(), $"trigger-bundle-{Guid.NewGuid():N}.zip");
        try
        {
            // Optimal compression, as `zip -r` and the CDK's asset packaging produce it.
            ZipFile.CreateFromDirectory(directory, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            return new BundleSize(directory, files.Length, files.Sum(f => new FileInfo(f).Length), new FileInfo(zip).Length);
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
