#!/usr/bin/env bash
# Deliberate bugs the test suite must catch. Each mutant is applied to a throw-away clone of HEAD, built, and the
# tests that guard against it are run: a mutant whose tests pass is a hole in the suite (exit 1).
#   scripts/mutation-check.sh            all mutants
#   scripts/mutation-check.sh append     one, by name
# PostgreSQL tests need scripts/postgres-test-server.sh first (the secret mutant's test uses it).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
clone="$work/clone"
only=${1:-}
holes=0

# mutant NAME FILE PERL-SUBSTITUTION TEST-FILTER WHAT
mutant() {
  local name=$1 file=$2 edit=$3 filter=$4 what=$5
  [ -n "$only" ] && [ "$only" != "$name" ] && return 0
  git -C "$clone" checkout -q -- .
  perl -0pi -e "$edit" "$clone/$file"
  if git -C "$clone" diff --quiet; then echo "mutant $name: its edit no longer applies to $file; update this script" >&2; exit 2; fi
  echo "mutant $name: $what"
  if dotnet test "$clone/tests/GameData.Tests" --filter "$filter" > "$work/$name.log" 2>&1; then
    echo "  SURVIVED: the tests below passed with the bug in ($filter)"
    holes=$((holes + 1))
  else
    echo "  caught: $(grep -E '^\s*Failed [A-Z]' "$work/$name.log" | head -3 | sed 's/^ *//' | paste -sd';' -)"
  fi
}

mutant duckdb-swap src/GameData/Warehouses/DuckDb/DuckDbFile.cs \
  's/File\.Move\(copy, Path, overwrite: true\);/File.Copy(copy, Path, overwrite: true);/' \
  "FullyQualifiedName~KillSweepTests" \
  "the loaded copy is written over the DuckDB file in place, not renamed whole (a kill part-way tears the file)"

mutant secret-on-argv build/build.cake \
  's/start\.Environment\[variable\] = (given\[name\.GetValue<string>\(\)\]\.Last\(\));/{ start.ArgumentList.Add("--" + name.GetValue<string>()); start.ArgumentList.Add($1); }/' \
  "FullyQualifiedName~A_connection_string_reaches_the_CLI_through_its_environment_never_its_command_line" \
  "the build passes a secret on the child's command line"

mutant append-twice src/GameData/Warehouses/DuckDb/DuckDbWarehouse.cs \
  's/if \(plan\.Mode == LoadMode\.Append\)\n\s*sql \+= [^;]*;//' \
  "FullyQualifiedName~LoadIntegrationTests&FullyQualifiedName~Append" \
  "an append inserts the rows it already holds a second time"

echo "mutants that survived: $holes"
[ "$holes" -eq 0 ]
