using System.Collections.Concurrent;

namespace GameData.Validation;

/// <summary>
/// Checks events' <c>properties</c> JSON on a background thread, so JSON parsing runs beside CSV parsing.
/// The reading thread copies each field into a batch; full batches are checked in order, so the report's
/// examples stay in line order.
/// </summary>
public sealed class PropertiesChecker : IDisposable
{
    private const int BatchRows = 4096;

    private readonly ValidationReport _report;
    private readonly string _fileName;
    private readonly BlockingCollection<Batch> _full = new(4);
    private readonly BlockingCollection<Batch> _free = new();
    private readonly Thread _worker;
    private Batch _current;
    private Exception? _failure;

    private sealed class Batch
    {
        public byte[] Bytes = new byte[1 << 20];
        public int Length, Count;
        public readonly int[] Ends = new int[BatchRows];
        public readonly long[] Lines = new long[BatchRows];
        public readonly EventPropertySchema[] Schemas = new EventPropertySchema[BatchRows];
    }

    public PropertiesChecker(ValidationReport report, string fileName)
    {
        _report = report;
        _fileName = fileName;
        for (var i = 0; i < 5; i++) _free.Add(new Batch());
        _current = _free.Take();
        _worker = new Thread(Work) { IsBackground = true, Name = "properties" };
        _worker.Start();
    }

    public void Add(EventPropertySchema schema, ReadOnlySpan<byte> json, long line)
    {
        var batch = _current;
        if (batch.Count == BatchRows || batch.Length + json.Length > batch.Bytes.Length)
        {
            HandOff();
            batch = _current;
            if (json.Length > batch.Bytes.Length) batch.Bytes = new byte[json.Length];
        }
        json.CopyTo(batch.Bytes.AsSpan(batch.Length));
        batch.Length += json.Length;
        batch.Ends[batch.Count] = batch.Length;
        batch.Lines[batch.Count] = line;
        batch.Schemas[batch.Count] = schema;
        batch.Count++;
    }

    private void HandOff()
    {
        _full.Add(_current);
        _current = _free.Take();
    }

    private void Work()
    {
        foreach (var batch in _full.GetConsumingEnumerable())
        {
            try
            {
                var start = 0;
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch.Schemas[i].Check(batch.Bytes.AsSpan(start, batch.Ends[i] - start)) is var (rule, detail))
                        _report.Add(rule, _fileName, batch.Lines[i], detail);
                    start = batch.Ends[i];
                }
            }
            catch (Exception e)
            {
                _failure ??= e;
            }
            batch.Length = batch.Count = 0;
            _free.Add(batch);
        }
    }

    /// <summary>Checks what is left and waits for the worker.</summary>
    public void Complete()
    {
        if (_current.Count > 0) HandOff();
        _full.CompleteAdding();
        _worker.Join();
        if (_failure is not null) throw new InvalidOperationException("checking properties failed", _failure);
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted) _full.CompleteAdding();
        _worker.Join();
        _full.Dispose();
        _free.Dispose();
    }
}
