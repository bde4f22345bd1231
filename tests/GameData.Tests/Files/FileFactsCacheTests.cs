using System.Security.Cryptography;
using System.Text;
using GameData.Files;

namespace GameData.Tests.Files;

/// <summary>
/// The cache of files already hashed: a file is read again whenever its size or time changed, and a file
/// written just before it was read is not remembered (it could change again within the same clock tick).
/// </summary>
[Parallelizable(ParallelScope.All)]
public class FileFactsCacheTests
{
    private static readonly DateTime AnHourAgo = DateTime.UtcNow.AddHours(-1);

    [Test]
    public void A_file_read_before_is_not_read_again_until_its_size_or_time_changes()
    {
        using var folder = new TempFolder();
        var file = Written(folder.File("a.csv"), "h\n1\n", AnHourAgo);
        Assert.That(Facts(folder, file), Is.EqualTo((Sha256Of("h\n1\n"), 1L)));

        // Other bytes behind the same size and time: the remembered facts stand (as git trusts a file's time).
        Written(file, "h\n2\n", AnHourAgo);
        Assert.That(Facts(folder, file), Is.EqualTo((Sha256Of("h\n1\n"), 1L)));

        File.SetLastWriteTimeUtc(file, AnHourAgo.AddMinutes(1));
        Assert.That(Facts(folder, file), Is.EqualTo((Sha256Of("h\n2\n"), 1L)), "another time: read again");

        Written(file, "h\n2\n3\n", AnHourAgo.AddMinutes(1));
        Assert.That(Facts(folder, file), Is.EqualTo((Sha256Of("h\n2\n3\n"), 2L)), "another size: read again");
    }

    [Test]
    public void A_file_written_just_before_it_was_read_is_read_every_time()
    {
        using var folder = new TempFolder();
        var file = Written(folder.File("a.csv"), "h\n1\n", DateTime.UtcNow);
        var written = File.GetLastWriteTimeUtc(file);
        Assert.That(Facts(folder, file).Sha256, Is.EqualTo(Sha256Of("h\n1\n")));

        // Written again within the same tick of the file system's clock: the time did not change.
        Written(file, "h\n2\n", written);
        Assert.That(Facts(folder, file).Sha256, Is.EqualTo(Sha256Of("h\n2\n")));
    }

    [Test]
    public void A_cache_that_cannot_be_read_is_ignored_and_written_anew()
    {
        using var folder = new TempFolder();
        var file = Written(folder.File("a.csv"), "h\n1\n", AnHourAgo);
        Directory.CreateDirectory(folder.File("cache"));
        File.WriteAllText(folder.File("cache/file-facts.json"), "{ not json");

        Assert.That(Facts(folder, file).Sha256, Is.EqualTo(Sha256Of("h\n1\n")));
        Written(file, "h\n2\n", AnHourAgo);
        Assert.That(Facts(folder, file).Sha256, Is.EqualTo(Sha256Of("h\n1\n")), "remembered in the new cache");
    }

    [Test]
    public void Files_that_do_not_exist_are_left_out()
    {
        using var folder = new TempFolder();
        var file = Written(folder.File("a.csv"), "h\n1\n", AnHourAgo);

        var facts = FileFactsCache.Of([file, folder.File("missing.csv")], folder.File("cache"));

        Assert.That(facts.Keys, Is.EqualTo(new[] { file }));
    }

    private static (string Sha256, long Rows) Facts(TempFolder folder, string file)
    {
        var facts = FileFactsCache.Of([file], folder.File("cache"))[file];
        return (facts.Sha256, facts.Rows);
    }

    private static string Written(string path, string text, DateTime lastWriteUtc)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    private static string Sha256Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
