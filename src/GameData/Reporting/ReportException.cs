using GameData.Settings;

namespace GameData.Reporting;

/// <summary>Thrown when the data cannot be reported on (files that fail validation); one line for the user.</summary>
public sealed class ReportException(string message) : GameDataException(message, ExitCodes.Failed);
