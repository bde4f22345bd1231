namespace GameData.Loading;

public enum LoadMode { Recreate, Append }
