#!/usr/bin/env bash
# ci/afl.sh's usage errors: exit 2 with a sentence on stderr, never a raw
# bash error. Builds nothing and runs no afl-fuzz (ctest fuzz_afl_bad_usage).
set -u
afl=$(dirname "$0")/../ci/afl.sh
failed=0
for args in '--parallel' '--parallel x' '--target' '--target nope' '0' 'abc'; do
  # shellcheck disable=SC2086  # the arguments are words on purpose
  message=$(bash "$afl" $args 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $message != 'afl.sh: error: '* ]]; then
    echo "afl.sh $args: exit $status, said: $message"
    failed=1
  fi
done
exit $failed
