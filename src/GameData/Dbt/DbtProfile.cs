using GameData.Warehouses;
using YamlDotNet.Core;
using Version = System.Version;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace GameData.Dbt;

/// <summary>
/// A <c>profiles.yml</c> for the warehouse just loaded, under the profile name the project asks for, with the
/// course's two targets: <c>dev</c> (schema <c>--dbt-schema</c>) and <c>ci</c> (schema <c>ci</c>). No secret is
/// written into it: secrets are referenced as <c>env_var('...')</c> and given to dbt in <see cref="Environment"/>.
/// Every string is double-quoted: dbt reads YAML 1.1 (PyYAML), where a plain <c>yes</c>, <c>on</c>, <c>~</c> or
/// <c>0123</c> would be a boolean, null or number.
/// </summary>
public sealed record DbtProfile(string Yaml, IReadOnlyDictionary<string, string> Environment)
{
    public const string DevTarget = "dev";
    public const string CiTarget = "ci";

    /// <param name="adapter">The installed dbt adapter's version, when known.</param>
    public static DbtProfile For(string profileName, WarehouseSettings warehouse, string devSchema, Version? adapter = null)
    {
        var environment = new Dictionary<string, string>();
        var ciSchema = SqlIdentifier.Schema(CiTarget, warehouse.Provider, "the ci target's schema");
        var outputs = new Dictionary<string, object>
        {
            [DevTarget] = warehouse.Provider.DbtOutput(warehouse, devSchema, environment, adapter),
            [CiTarget] = warehouse.Provider.DbtOutput(warehouse, ciSchema, environment, adapter),
        };
        var profiles = new Dictionary<string, object>
        {
            [profileName] = new Dictionary<string, object> { ["target"] = DevTarget, ["outputs"] = outputs },
        };
        var yaml = "# Written by gamedata for the warehouse it loaded; secrets come from the environment (env_var).\n" +
                   new SerializerBuilder().WithEventEmitter(next => new QuotedStrings(next)).Build().Serialize(profiles);
        return new DbtProfile(yaml, environment);
    }

    /// <summary>Writes every string double-quoted; numbers stay plain.</summary>
    private sealed class QuotedStrings(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Type == typeof(string)) eventInfo.Style = ScalarStyle.DoubleQuoted;
            base.Emit(eventInfo, emitter);
        }
    }
}
