using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GameData.Tests.Dbt;

/// <summary>
/// How dbt reads a YAML file: PyYAML follows YAML 1.1, where a plain (unquoted) scalar such as <c>yes</c>,
/// <c>on</c>, <c>~</c> or <c>0123</c> is a boolean, null or number. These are PyYAML's implicit resolvers
/// (resolver.py); a quoted scalar is always a string.
/// </summary>
public static partial class Yaml11
{
    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Bool();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex Int();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Float();

    [GeneratedRegex("^(?:~|null|Null|NULL|)$")]
    private static partial Regex Null();

    [GeneratedRegex(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$")]
    private static partial Regex Timestamp();

    /// <summary>The type PyYAML gives the scalar: str, bool, int, float, null or timestamp.</summary>
    public static string TypeOf(YamlScalarNode scalar)
    {
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain) return "str";
        var text = scalar.Value ?? "";
        if (Bool().IsMatch(text)) return "bool";
        if (Int().IsMatch(text)) return "int";
        if (Float().IsMatch(text)) return "float";
        if (Null().IsMatch(text)) return "null";
        if (Timestamp().IsMatch(text)) return "timestamp";
        return text is "<<" or "=" ? "special" : "str";
    }

    /// <summary>Every scalar of the document (keys and values) that PyYAML would not read as a string, by its path.</summary>
    public static Dictionary<string, string> NonStrings(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var found = new Dictionary<string, string>();
        Walk(stream.Documents.Single().RootNode, "", found);
        return found;
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, string> found)
    {
        switch (node)
        {
            case YamlScalarNode scalar when TypeOf(scalar) is var type && type != "str":
                found[path] = type;
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value;
                    if (TypeOf((YamlScalarNode)key) is var keyType && keyType != "str") found[$"{path}/{name} (key)"] = keyType;
                    Walk(value, $"{path}/{name}", found);
                }
                break;
            case YamlSequenceNode sequence:
                var i = 0;
                foreach (var item in sequence.Children) Walk(item, $"{path}/{i++}", found);
                break;
        }
    }
}
