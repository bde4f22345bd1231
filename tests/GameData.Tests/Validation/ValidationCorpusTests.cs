using GameData.Generation;
using GameData.Validation;

namespace GameData.Tests.Validation;

/// <summary>
/// The corpus of broken and unusual inputs. Each case breaks one thing in an otherwise valid dataset
/// and asserts the rule, its severity and the line reported, and that no unrelated rule fired.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ValidationCorpusTests
{
    private const string Players = DatasetFiles.Players;
    private const string Sessions = DatasetFiles.Sessions;
    private const string Events = DatasetFiles.Events;

    [Test]
    public void Generated_dataset_with_its_manifest_is_clean()
    {
        using var data = new BrokenDataset(keepManifest: true);
        var report = data.Validate(strict: true);
        Assert.That(report.Broken, Is.Empty, string.Join("\n", report.Broken.SelectMany(report.Examples)));
        Assert.That(report.RowsRead[Players], Is.EqualTo(30));
    }

    [Test]
    public void Truncated_last_line()
    {
        using var data = new BrokenDataset();
        var bytes = data.Bytes(Events);
        var lastLine = data.Lines(Events).Length;
        var lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        // Cut the last row after its third field, as a full disk would: no line break at the end.
        var cut = Enumerable.Range(lastLineStart, bytes.Length - lastLineStart).Where(i => bytes[i] == ',').ElementAt(2);
        data.WriteBytes(Events, bytes[..cut]);
        var report = data.Validate();
        AssertReported(report, Rules.Truncated, Events, lastLine);
        AssertReported(report, Rules.FieldCount, Events, lastLine);
        AssertOnly(report, Rules.Truncated, Rules.FieldCount);
    }

    [Test]
    public void Extra_field()
    {
        using var data = new BrokenDataset();
        data.EditLine(Players, 5, l => l + ",extra");
        AssertOnlyRule(data.Validate(), Rules.FieldCount, Players, 5);
    }

    [Test]
    public void Missing_field()
    {
        using var data = new BrokenDataset();
        data.EditLine(Sessions, 3, l => l[..l.LastIndexOf(',')]);
        var report = data.Validate();
        AssertReported(report, Rules.FieldCount, Sessions, 3);
        // The session is gone from the index, so its events belong to no session (a warning).
        AssertOnly(report, Rules.FieldCount, Rules.EventOutsideSession);
    }

    [Test]
    public void Reordered_header()
    {
        using var data = new BrokenDataset();
        data.EditLine(Players, 1, _ => "player_id,country,first_seen_at,language,difficulty_selected");
        var report = data.Validate();
        AssertReported(report, Rules.Header, Players, 1);
        Assert.That(report.Count(Rules.Header), Is.EqualTo(1));
    }

    [Test]
    public void Utf8_byte_order_mark_is_a_warning()
    {
        using var data = new BrokenDataset();
        data.WriteBytes(Players, [0xEF, 0xBB, 0xBF, .. data.Bytes(Players)]);
        var report = data.Validate();
        AssertOnlyRule(report, Rules.ByteOrderMark, Players, 1, valid: true);
        Assert.That(data.Validate(strict: true).IsValid, Is.False, "an error under --strict");
    }

    [Test]
    public void Crlf_line_ends_are_a_warning()
    {
        using var data = new BrokenDataset();
        data.WriteBytes(Sessions, BrokenDataset.Utf8(File.ReadAllText(data.PathOf(Sessions)).Replace("\n", "\r\n")));
        var report = data.Validate();
        AssertOnlyRule(report, Rules.CrlfLineEnds, Sessions, 1, valid: true);
        Assert.That(report.Examples(Rules.CrlfLineEnds)[0].Detail, Does.StartWith($"{data.Lines(Sessions).Length:N0} lines"));
        Assert.That(data.Validate(strict: true).Fails(Rules.CrlfLineEnds), Is.True);
    }

    [Test]
    public void Crlf_first_appearing_in_the_middle_reports_that_line()
    {
        using var data = new BrokenDataset();
        data.EditLine(Players, 7, l => l + "\r");
        AssertOnlyRule(data.Validate(), Rules.CrlfLineEnds, Players, 7, valid: true);
    }

    [Test]
    public void Empty_file()
    {
        using var data = new BrokenDataset();
        data.WriteBytes(Events, []);
        AssertOnlyRule(data.Validate(), Rules.FileEmpty, Events, 0);
    }

    [Test]
    public void Header_only()
    {
        using var data = new BrokenDataset();
        data.WriteLines(Players, data.Lines(Players)[..1]);
        var report = data.Validate();
        AssertReported(report, Rules.HeaderOnly, Players, 1);
        AssertOnly(report, Rules.HeaderOnly, Rules.OrphanPlayer);
    }

    [Test]
    public void Missing_file()
    {
        using var data = new BrokenDataset();
        File.Delete(data.PathOf(Sessions));
        var report = data.Validate();
        AssertReported(report, Rules.FileMissing, Sessions, 0);
        AssertOnly(report, Rules.FileMissing, Rules.EventOutsideSession);
    }

    [Test]
    public void Duplicate_player_id()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 3, 0, "player_1");
        var report = data.Validate();
        AssertReported(report, Rules.DuplicateKey, Players, 3);
        // player_2's sessions and events now have no player.
        AssertOnly(report, Rules.DuplicateKey, Rules.OrphanPlayer);
    }

    [Test]
    public void Duplicate_event_id_out_of_order()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 40, 0, "event_3");
        AssertOnlyRule(data.Validate(), Rules.DuplicateKey, Events, 40);
    }

    [Test]
    public void Duplicate_session_id()
    {
        using var data = new BrokenDataset();
        var first = data.Lines(Sessions)[1].Split(',')[0];
        data.EditField(Sessions, 4, 0, first);
        AssertOnlyRule(data.Validate(), Rules.DuplicateKey, Sessions, 4);
    }

    [Test]
    public void Orphan_session()
    {
        using var data = new BrokenDataset();
        data.EditField(Sessions, 2, 1, "player_9999");
        var report = data.Validate();
        AssertReported(report, Rules.OrphanPlayer, Sessions, 2);
        AssertOnly(report, Rules.OrphanPlayer, Rules.EventOutsideSession);
    }

    [Test]
    public void Orphan_event()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 2, 2, "player_9999");
        AssertOnlyRule(data.Validate(), Rules.OrphanPlayer, Events, 2);
    }

    [Test]
    public void Month_13()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 4, 1, "2011-13-01 00:00:00");
        AssertOnlyRule(data.Validate(), Rules.TimestampFormat, Players, 4);
    }

    [TestCase("2011-02-30 10:00:00")]
    [TestCase("2011-01-20T10:00:00")]
    [TestCase("2011-01-20 24:00:00")]
    [TestCase("2011-01-20 10:00")]
    public void Timestamp_not_in_the_reference_form_or_not_a_real_time(string value)
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 1, value);
        AssertOnlyRule(data.Validate(), Rules.TimestampFormat, Players, 2);
    }

    [Test]
    public void Session_end_before_start()
    {
        using var data = new BrokenDataset();
        var fields = data.Lines(Sessions)[1].Split(',');
        data.EditLine(Sessions, 2, _ => string.Join(',', fields[0], fields[1], fields[3], fields[2], fields[4]));
        var report = data.Validate();
        AssertReported(report, Rules.SessionOrder, Sessions, 2);
        AssertOnly(report, Rules.SessionOrder, Rules.EventOutsideSession);
    }

    [Test]
    public void Event_outside_the_window()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 2, 1, "2012-01-01 00:00:00");
        var report = data.Validate();
        AssertReported(report, Rules.OutsideWindow, Events, 2);
        AssertOnly(report, Rules.OutsideWindow, Rules.EventOutsideSession);
    }

    [Test]
    public void Event_at_exactly_the_end_of_the_window_is_outside()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 2, 1, "2011-02-13 00:00:00");
        Assert.That(data.Validate().Examples(Rules.OutsideWindow).Single().Line, Is.EqualTo(2));
    }

    [Test]
    public void Player_first_seen_before_the_window()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 1, "2011-01-12 23:59:59");
        AssertOnlyRule(data.Validate(), Rules.OutsideWindow, Players, 2);
    }

    [Test]
    public void Event_in_none_of_its_players_sessions_is_a_warning()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 2, 1, "2011-02-12 23:59:59");
        AssertOnlyRule(data.Validate(), Rules.EventOutsideSession, Events, 2, valid: true);
    }

    [Test]
    public void Event_platform_differing_from_its_session_is_a_warning()
    {
        using var data = new BrokenDataset();
        var platform = data.Lines(Events)[1].Split(',')[4];
        data.EditField(Events, 2, 4, platform == "pc" ? "ps3" : "pc");
        AssertOnlyRule(data.Validate(), Rules.PlatformMismatch, Events, 2, valid: true);
    }

    [Test]
    public void Invalid_json()
    {
        using var data = new BrokenDataset();
        data.SetProperties(3, "{\"chapter_id\": }");
        AssertOnlyRule(data.Validate(), Rules.PropertiesJson, Events, 3);
    }

    [Test]
    public void Json_array_instead_of_object()
    {
        using var data = new BrokenDataset();
        data.SetProperties(3, "[1, 2]");
        AssertOnlyRule(data.Validate(), Rules.PropertiesNotObject, Events, 3);
    }

    [Test]
    public void Missing_property_key()
    {
        using var data = new BrokenDataset();
        var line = data.LineOfEvent("game_started");
        data.SetProperties(line, "{\"load_time_ms\": 4253, \"resolution\": \"1080p\", \"fps_target\": 30}");
        AssertOnlyRule(data.Validate(), Rules.PropertiesKeys, Events, line);
        Assert.That(data.Validate().Examples(Rules.PropertiesKeys)[0].Detail, Does.Contain("audio_quality"));
    }

    [Test]
    public void Unexpected_and_duplicated_property_keys()
    {
        using var data = new BrokenDataset();
        var line = data.LineOfEvent("game_started");
        data.SetProperties(line, "{\"load_time_ms\": 1, \"resolution\": \"4K\", \"fps_target\": 30, \"audio_quality\": \"low\", \"cheat\": true}");
        data.SetProperties(line + 1, "{\"chapter_id\": 1, \"chapter_id\": 1}"); // game_started is followed by chapter_started
        var report = data.Validate();
        Assert.That(report.Examples(Rules.PropertiesKeys).Select(v => (v.Line, v.Detail.Split(' ')[0])),
            Is.EqualTo(new[] { ((long)line, "unexpected"), ((long)line + 1, "key") }));
        AssertOnly(report, Rules.PropertiesKeys);
    }

    [TestCase("game_started", "{\"load_time_ms\": \"4253\", \"resolution\": \"1080p\", \"fps_target\": 30, \"audio_quality\": \"low\"}", "load_time_ms")]
    [TestCase("game_started", "{\"load_time_ms\": 42.5, \"resolution\": \"1080p\", \"fps_target\": 30, \"audio_quality\": \"low\"}", "load_time_ms")]
    [TestCase("game_started", "{\"load_time_ms\": 4253, \"resolution\": null, \"fps_target\": 30, \"audio_quality\": \"low\"}", "resolution")]
    public void Property_of_the_wrong_type(string eventName, string json, string key)
    {
        using var data = new BrokenDataset();
        var line = data.LineOfEvent(eventName);
        data.SetProperties(line, json);
        var report = data.Validate();
        AssertOnlyRule(report, Rules.PropertiesType, Events, line);
        Assert.That(report.Examples(Rules.PropertiesType)[0].Detail, Does.StartWith($"'{key}'"));
    }

    [Test]
    public void Materials_list_must_hold_strings_and_booleans_must_be_booleans()
    {
        using var data = new BrokenDataset();
        var line = data.LineOfEvent("item_crafted");
        data.SetProperties(line, "{\"chapter_id\": 1, \"item_type\": \"shiv\", \"materials_used\": [\"tape\", 3], \"crafting_time_seconds\": 5, \"success\": \"yes\", \"workbench_used\": false}");
        var report = data.Validate();
        AssertOnlyRule(report, Rules.PropertiesType, Events, line);
        Assert.That(report.Examples(Rules.PropertiesType)[0].Detail, Does.StartWith("'materials_used'"));
    }

    [Test]
    public void Whole_number_accuracy_is_still_a_number()
    {
        using var data = new BrokenDataset();
        var line = data.LineOfEvent("chapter_completed");
        var json = data.Lines(Events)[line - 1].Split(",\"{")[1];
        data.SetProperties(line, "{" + json[..json.IndexOf("\"\"accuracy_percentage", StringComparison.Ordinal)].Replace("\"\"", "\"") + "\"accuracy_percentage\": 77}");
        Assert.That(data.Validate().Broken, Is.Empty);
    }

    [Test]
    public void Unknown_event_name()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 2, 3, "game_paused");
        AssertOnlyRule(data.Validate(), Rules.UnknownEventName, Events, 2);
    }

    [Test]
    public void Unknown_platform()
    {
        using var data = new BrokenDataset();
        data.EditField(Sessions, 2, 4, "switch");
        AssertOnlyRule(data.Validate(), Rules.UnknownPlatform, Sessions, 2);
    }

    [Test]
    public void Unknown_difficulty_is_case_sensitive()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 4, "Normal");
        AssertOnlyRule(data.Validate(), Rules.UnknownDifficulty, Players, 2);
    }

    [Test]
    public void Country_and_language_in_any_letter_case_but_from_their_sets()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 2, "uS");
        data.EditField(Players, 3, 2, "xx");
        data.EditField(Players, 4, 3, "EN");
        data.EditField(Players, 5, 3, "klingon");
        var report = data.Validate();
        AssertReported(report, Rules.UnknownCountry, Players, 3);
        AssertReported(report, Rules.UnknownLanguage, Players, 5);
        Assert.That(report.Count(Rules.UnknownCountry) + report.Count(Rules.UnknownLanguage), Is.EqualTo(2));
        AssertOnly(report, Rules.UnknownCountry, Rules.UnknownLanguage);
    }

    [Test]
    public void Unclosed_quote()
    {
        using var data = new BrokenDataset();
        var last = data.Lines(Events).Length;
        data.EditLine(Events, last, l => l[..^1]); // drop the closing quote of the properties field
        AssertOnlyRule(data.Validate(), Rules.Quoting, Events, last);
    }

    [Test]
    public void Stray_quote_in_an_unquoted_field()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 6, 2, "u\"s");
        AssertOnlyRule(data.Validate(), Rules.Quoting, Players, 6);
    }

    [Test]
    public void Nul_byte()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 2, "u\0s");
        AssertOnlyRule(data.Validate(), Rules.NulByte, Players, 2);
    }

    [Test]
    public void Invalid_utf8()
    {
        using var data = new BrokenDataset();
        var bytes = data.Bytes(Players).ToList();
        var thirdLine = bytes.IndexOf((byte)'\n', bytes.IndexOf((byte)'\n') + 1) + 1;
        bytes.InsertRange(thirdLine + "player_2,".Length + 20, new byte[] { 0xC3, 0x28 }); // a lead byte without its continuation
        data.WriteBytes(Players, bytes.ToArray());
        AssertOnlyRule(data.Validate(), Rules.InvalidUtf8, Players, 3);
    }

    [Test]
    public void Empty_line_in_the_middle()
    {
        using var data = new BrokenDataset();
        var lines = data.Lines(Players).ToList();
        lines.Insert(4, "");
        data.WriteLines(Players, lines);
        AssertOnlyRule(data.Validate(), Rules.FieldCount, Players, 5);
    }

    [Test]
    public void Id_from_another_batch()
    {
        using var data = new BrokenDataset();
        data.EditField(Events, 5, 0, "event_2_3");
        AssertOnlyRule(data.Validate(), Rules.IdPattern, Events, 5);
    }

    [TestCase("player_01")]
    [TestCase("player_")]
    [TestCase("player_0")]
    [TestCase("Player_7")]
    public void Id_not_of_the_pattern(string id)
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 8, 0, id);
        var report = data.Validate();
        AssertReported(report, Rules.IdPattern, Players, 8);
        // player_7's rows elsewhere lose their player.
        AssertOnly(report, Rules.IdPattern, Rules.OrphanPlayer);
    }

    [Test]
    public void Batch_2_files_without_a_manifest_take_their_pattern_from_the_first_player()
    {
        using var data = new BrokenDataset();
        DatasetGenerator.Generate(BrokenDataset.Settings with { Batch = 2 }, data.Folder);
        File.Delete(data.PathOf(DatasetManifest.FileName));
        Assert.That(data.Validate().Broken, Is.Empty);
        data.EditField(Sessions, 3, 0, "session_5");
        AssertOnlyRule(data.Validate(), Rules.IdPattern, Sessions, 3);
    }

    [Test]
    public void File_edited_after_the_manifest_was_written()
    {
        using var data = new BrokenDataset(keepManifest: true);
        data.EditField(Players, 2, 2, data.Lines(Players)[1].Split(',')[2].ToUpperInvariant() == data.Lines(Players)[1].Split(',')[2] ? "us" : "US");
        AssertOnlyRule(data.Validate(), Rules.ManifestSha256, Players, 0);
    }

    [Test]
    public void Row_removed_after_the_manifest_was_written()
    {
        using var data = new BrokenDataset(keepManifest: true);
        data.WriteLines(Events, data.Lines(Events)[..^1]);
        var report = data.Validate();
        AssertReported(report, Rules.ManifestRows, Events, 0);
        AssertOnly(report, Rules.ManifestRows, Rules.ManifestSha256);
    }

    [Test]
    public void Manifest_that_is_not_json()
    {
        using var data = new BrokenDataset(keepManifest: true);
        File.WriteAllText(data.PathOf(DatasetManifest.FileName), "{ not json");
        AssertOnlyRule(data.Validate(), Rules.ManifestInvalid, DatasetManifest.FileName, 0);
    }

    [Test]
    public void Without_a_manifest_or_window_times_are_not_window_checked_and_a_notice_says_so()
    {
        using var data = new BrokenDataset();
        data.EditField(Players, 2, 1, "2010-06-01 00:00:00");
        var report = DatasetValidator.Validate(new ValidationOptions(data.Folder));
        Assert.That(report.Broken, Is.Empty);
        Assert.That(report.Notices, Has.Some.Contains("times are not checked against a window"));
    }

    [Test]
    public void Examples_stop_at_20_per_rule_but_counts_are_complete()
    {
        using var data = new BrokenDataset();
        data.WriteLines(Events, data.Lines(Events).Select((l, i) => i == 0 ? l : l.Replace(",1.0.3,", ",1.0.3,x,")));
        var report = data.Validate();
        Assert.That(report.Count(Rules.FieldCount), Is.EqualTo(data.Lines(Events).Length - 1));
        Assert.That(report.Examples(Rules.FieldCount), Has.Count.EqualTo(20));
        Assert.That(report.Examples(Rules.FieldCount).Select(e => e.Line), Is.EqualTo(Enumerable.Range(2, 20).Select(i => (long)i)));
    }

    /// <summary>The rule was reported at that line, with the expected severity (and so fails the dataset only if an error).</summary>
    private static void AssertReported(ValidationReport report, Rule rule, string file, long line, Severity severity = Severity.Error)
    {
        var lines = string.Join("\n", report.Broken.SelectMany(report.Examples));
        Assert.That(report.Examples(rule).Any(v => v.File == file && v.Line == line), Is.True,
            $"expected {rule.Id} at {file}:{line}; reported:\n{lines}");
        Assert.That(rule.Severity, Is.EqualTo(severity), $"{rule.Id} severity");
        Assert.That(report.Fails(rule), Is.EqualTo(severity == Severity.Error || report.Strict), $"{rule.Id} fails the dataset");
    }

    /// <summary>The rule fired exactly once, at that line, with its severity deciding validity; nothing else fired.</summary>
    private static void AssertOnlyRule(ValidationReport report, Rule rule, string file, long line, bool valid = false)
    {
        AssertReported(report, rule, file, line, valid ? Severity.Warning : Severity.Error);
        Assert.That(report.Count(rule), Is.EqualTo(1), $"{rule.Id} count");
        AssertOnly(report, rule);
        Assert.That(report.IsValid, Is.EqualTo(valid));
    }

    private static void AssertOnly(ValidationReport report, params Rule[] allowed)
    {
        var unexpected = report.Broken.Except(allowed).ToList();
        Assert.That(unexpected.Select(r => r.Id), Is.Empty,
            string.Join("\n", unexpected.SelectMany(report.Examples)));
    }
}
