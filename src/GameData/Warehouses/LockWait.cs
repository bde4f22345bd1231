using System.Diagnostics;
using GameData.Loading;

namespace GameData.Warehouses;

/// <summary>
/// How gamedata waits for a lock another process holds, on every warehouse: polled rather than blocked on, so
/// that the wait is reported once and a zero timeout means "do not wait".
/// </summary>
public static class LockWait
{
    /// <param name="attempt">Tries to take the lock: false while another holds it.</param>
    /// <param name="waitingMessage">Told to <paramref name="waiting"/> when the first try fails.</param>
    /// <param name="timedOut">The message of the <see cref="WarehouseException"/> when the time is up.</param>
    public static void Until(Func<bool> attempt, TimeSpan timeout, TimeSpan interval, Action<string> waiting, Func<string> waitingMessage,
        Func<string> timedOut)
    {
        var clock = Stopwatch.StartNew();
        var told = false;
        while (!attempt())
        {
            if (clock.Elapsed >= timeout) throw new WarehouseException(timedOut());
            if (!told) waiting(waitingMessage());
            told = true;
            Thread.Sleep(interval);
        }
    }
}
