# shellcheck shell=bash
# Sourced by ci/fuzz.sh and ci/afl.sh: what the scripts know about the fuzz
# targets (fuzz/README.md lists them).

# The executor a schedule target runs its inputs with, for the replay and
# minimize commands of its findings; empty for targets whose inputs are not
# schedules (codec, checker, fast path).
executor_of() {
  case $1 in
    controlled_fuzzer) echo controlled ;;
    serial_fuzzer) echo serial ;;
    stress_fuzzer) echo stress ;;
    *) echo "" ;;
  esac
}
