// The summed test time per test class, from a TRX file: which fixtures the suite's time goes to.
//   dotnet run scripts/test-times.cs -- artifacts/test-results/tests.trx [how many classes, default all]
using System.Globalization;
using System.Xml.Linq;

XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
var trx = XDocument.Load(args[0]);
var classOf = trx.Descendants(ns + "UnitTest").ToDictionary(
    t => (string)t.Attribute("id")!, t => ((string)t.Element(ns + "TestMethod")!.Attribute("className")!).Split('.')[^1]);
var results = trx.Descendants(ns + "UnitTestResult")
    .Select(r => (Class: classOf[(string)r.Attribute("testId")!], Outcome: (string)r.Attribute("outcome")!,
                  Seconds: TimeSpan.Parse((string?)r.Attribute("duration") ?? "0:0:0", CultureInfo.InvariantCulture).TotalSeconds))
    .ToList();
var times = trx.Descendants(ns + "Times").Single();
var wall = DateTimeOffset.Parse((string)times.Attribute("finish")!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)times.Attribute("start")!, CultureInfo.InvariantCulture);
Console.WriteLine($"{results.Count} results ({string.Join(", ", results.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}"))}); " +
                  $"summed test time {results.Sum(r => r.Seconds):0} s in {wall.TotalSeconds:0} s of wall time");
var top = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
foreach (var group in results.GroupBy(r => r.Class).OrderByDescending(g => g.Sum(r => r.Seconds)).Take(top))
    Console.WriteLine($"{group.Key,-40} {group.Count(),4} tests {group.Sum(r => r.Seconds),8:0.0} s");
