#!/usr/bin/env bash
# The campaign scripts' usage errors: ci/afl.sh and ci/fuzz.sh exit 2 with a
# sentence on stderr, never a raw bash error. Builds nothing and runs no
# fuzzer: arguments are checked first (ctest fuzz_scripts_bad_usage).
set -u
ci=$(dirname "$0")/../ci
failed=0

# expect_usage_error SCRIPT ARGS...: SCRIPT ARGS exits 2 saying SCRIPT: error.
expect_usage_error() {
  local script=$1 message status
  shift
  message=$(bash "$ci/$script" "$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -ne 2 || $message != "${script}: error: "* ]]; then
    echo "$script $*: exit $status, said: $message"
    failed=1
  fi
}

for args in '--parallel' '--parallel x' '--parallel 0' '--parallel 65' \
  '--parallel=-1' '--target' '--target nope' '0' 'abc'; do
  # shellcheck disable=SC2086  # the arguments are words on purpose
  expect_usage_error afl.sh $args
done
for args in '--jobs' '--jobs 0' '--jobs abc' '--jobs=65' '--jobs 99999999999999999999' \
  '--bogus' '-x' '0' '99999999999' '10 nope' '--jobs 2 0'; do
  # shellcheck disable=SC2086
  expect_usage_error fuzz.sh $args
done
exit $failed
