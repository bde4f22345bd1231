namespace GameData.Settings;

/// <summary>Exit codes shared by every command; CI scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and found a problem (a failed load, invalid data).</summary>
    public const int Failed = 1;
    /// <summary>The command could not run: a wrong flag or setting, a missing folder or credential.</summary>
    public const int BadInput = 2;
    /// <summary>Ctrl+C, or end of input at a prompt.</summary>
    public const int Cancelled = 130;
    /// <summary>SIGHUP: the terminal went away.</summary>
    public const int HungUp = 129;
    /// <summary>SIGTERM, as CI runners and container stops send it.</summary>
    public const int Terminated = 143;
}
