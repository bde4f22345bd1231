#!/usr/bin/env bash
# Bootstrap only: restore the pinned dotnet tools, then run the Cake script with the arguments given.
#   ./build.sh                       the chain with default settings
#   ./build.sh --target=Test         the test suite
#   ./build.sh --target=Generate --players=500 --seed=7
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore > /dev/null
exec dotnet cake build/build.cake "$@"
