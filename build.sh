#!/usr/bin/env bash
# Bootstrap only: restore the pinned dotnet tools, then run the Cake script with the arguments given.
#   ./build.sh                       the chain with default settings
#   ./build.sh --target=Test         the test suite
#   ./build.sh --target=Generate --players=500 --seed=7
#   ./build.sh --help                the targets and arguments
set -euo pipefail
# Paths given as arguments are relative to where this was run from; the script itself runs in build/.
export GAMEDATA_CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No colour codes in CI logs or redirected output (Cake and the gamedata command both honour NO_COLOR).
if { [ -n "${CI:-}" ] && [ "${CI:-}" != "false" ]; } || [ ! -t 1 ]; then export NO_COLOR=1; fi
# The pinned Cake (.config/dotnet-tools.json): `dotnet tool restore` costs half a second even with nothing to do, so it
# runs only when that version is not in the NuGet cache yet (the .sha512 file is NuGet's mark of a complete install).
cake_version=$(grep -A1 '"cake.tool"' .config/dotnet-tools.json | sed -nE 's/.*"version": *"([^"]+)".*/\1/p')
cake_package="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version"
if [ ! -f "$cake_package/cake.tool.$cake_version.nupkg.sha512" ]; then
  dotnet tool restore > /dev/null
fi
# That Cake's own assembly, started directly: `dotnet cake` starts the SDK's command line first only to find it (about 0.25 s).
cake=(dotnet cake)
if [ -f "$cake_package/tools/net10.0/any/Cake.dll" ]; then cake=(dotnet "$cake_package/tools/net10.0/any/Cake.dll"); fi
args=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) args+=("--target=Help" "--no-report") ;;
    # Cake's own parser would stop at an empty value with exit 255 ("Expected an option value.").
    --*=) echo "error: ${arg%=} '' is empty; give a value, or leave it out for the default" >&2; exit 2 ;;
    *) args+=("$arg") ;;
  esac
done
exec "${cake[@]}" build/build.cake "${args[@]+"${args[@]}"}"
