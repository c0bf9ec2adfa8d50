#!/usr/bin/env bash
# Every corpus regression's printed replay command, pasted: the report's
# `replay` line is run through `sh -c` as a user would paste it, with
# tophash-fuzz on PATH, from a directory whose name holds a space (so the
# quoting is tested too), and must reproduce the case's expect: kind.
#
#   printed_replay_test.sh PATH/TO/tophash-fuzz   (ctest corpus_printed_replay)
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$(cd "$(dirname "$0")" && pwd)/regressions
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/with space"
ln -s "$tool" "$scratch/bin/tophash-fuzz"
export PATH="$scratch/bin:$PATH"
cd "$scratch/with space"
failed=0 checked=0
for file in "$corpus"/*.sched; do
  name=$(basename "$file")
  cp "$file" "./$name"
  kind=$(sed -n 's/^expect: *//p' "$name" | head -1)
  printed=$(tophash-fuzz replay "$PWD/$name" 2>&1 | sed -n 's/^replay  *//p' | head -1)
  if [[ -z $printed ]]; then
    echo "FAIL $name: the report prints no replay line"
    failed=1
    continue
  fi
  output=$(sh -c "$printed" 2>&1)
  status=$?
  if [[ $status -ne 0 || $output != *"reproduced $kind as expected"* ]]; then
    echo "FAIL $name: pasted '$printed' exited $status:"
    echo "$output" | tail -3
    failed=1
  fi
  checked=$((checked + 1))
done
echo "$checked printed replay commands checked"
[[ $checked -gt 0 ]] || failed=1
exit $failed
