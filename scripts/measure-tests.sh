#!/usr/bin/env bash
# The test step's footprint: its wall time, how busy the cores were, the disk written by it and its children, the processes started, and
# the summed test time per class (from its TRX). Run it on an otherwise quiet machine: the process count is the
# machine's, read from /proc/stat.
#   scripts/measure-tests.sh            ./build.sh --target=Test
#   scripts/measure-tests.sh --filter=X other arguments are passed to ./build.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p artifacts
started=$(awk '/^processes/ {print $2}' /proc/stat)
# The machine's CPU time, busy and idle (idle and iowait), in clock ticks: how saturated the cores were.
read -r busy0 idle0 < <(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
/usr/bin/time -o artifacts/test-footprint.txt -f '%e %O' ./build.sh --target=Test "$@"
status=$?
ended=$(awk '/^processes/ {print $2}' /proc/stat)
read -r busy1 idle1 < <(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
read -r wall blocks < <(tail -1 artifacts/test-footprint.txt)
echo "./build.sh --target=Test: exit $status, ${wall} s of wall time, the cores busy $(( 100 * (busy1 - busy0) / (busy1 - busy0 + idle1 - idle0) ))% of it," \
  "$((blocks * 512 / 1048576)) MB written to disk, $((ended - started)) processes started"
dotnet run scripts/test-times.cs -- artifacts/test-results/tests.trx 25
exit $status
