#!/usr/bin/env bash
# Local check of ci/oss-fuzz/build.sh, without Docker (none is available on
# the development machines).
#
#   ci/oss-fuzz/check.sh [libfuzzer|afl]...      (default: both)
#
# It emulates the environment OSS-Fuzz's base-builder gives build.sh (CC,
# CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SRC, WORK, OUT), with the
# compilers installed here instead of OSS-Fuzz's own clang, then runs every
# fuzzer it built over its seed corpus zip, as OSS-Fuzz's check_build does,
# and checks that the corpus/regressions/ cases in the zips of
# controlled_fuzzer and serial_fuzzer still bite: each case whose
# `executor:` is the target's, run alone with its `fault:` (THFUZZ_FAULT),
# must crash with its `expect:` kind, so the encoded seeds are the cases
# (stress cases are skipped: real threads do not replay exactly):
#   libfuzzer  clang-19, ASan + UBSan (+ ci/ubsan-ignorelist.txt),
#              LIB_FUZZING_ENGINE=-fsanitize=fuzzer; each fuzzer runs its
#              seeds with -runs=0, then a few hundred fuzzing executions
#   afl        afl-clang-fast(++), LIB_FUZZING_ENGINE=libAFLDriver.a; each
#              fuzzer runs each seed once (the driver takes files as args)
#
# WORK persists under build/oss-fuzz-check/<engine>/work so reruns are
# incremental, and ccache is on; OUT is emptied on every run.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check_root=$repo_root/build/oss-fuzz-check
readonly AFL_DRIVER=/usr/lib/afl/libAFLDriver.a
# OSS-Fuzz's SANITIZER_FLAGS_undefined, minus unsigned-integer-overflow
# (hashing overflows on purpose; OSS-Fuzz silences it at run time anyway).
readonly UBSAN_CHECKS=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr

log() { echo "oss-fuzz/check.sh: $*"; }
die() {
  echo "oss-fuzz/check.sh: error: $*" >&2
  exit 1
}

# Sets the variables base-builder would set for ENGINE.
emulate_environment() {
  local engine=$1 dir=$check_root/$1
  export SRC=$dir/src WORK=$dir/work OUT=$dir/out
  rm -rf "$OUT" "$SRC"
  mkdir -p "$SRC" "$WORK" "$OUT"
  ln -s "$repo_root" "$SRC/tophash-fuzz"  # base-builder has a copy there
  local common="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
  if [[ $engine == libfuzzer ]]; then
    export CC=clang-19 CXX=clang++-19
    local sanitizers="-fsanitize=address -fsanitize-address-use-after-scope -fsanitize=$UBSAN_CHECKS -fno-sanitize-recover=$UBSAN_CHECKS -fsanitize-ignorelist=$repo_root/ci/ubsan-ignorelist.txt"
    export CFLAGS="$common $sanitizers -fsanitize=fuzzer-no-link"
    export CXXFLAGS="$CFLAGS -stdlib=libc++"  # build.sh must strip this
    export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
  else
    export CC=afl-clang-fast CXX=afl-clang-fast++
    export CFLAGS="$common" CXXFLAGS="$common -stdlib=libc++"
    export LIB_FUZZING_ENGINE=$AFL_DRIVER
    export AFL_QUIET=1
  fi
  export THFUZZ_CCACHE=1  # our build.sh's opt-in; OSS-Fuzz leaves it unset
  export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
}

build_engine() {
  local engine=$1
  log "[$engine] building with CC=$CC LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
  local build_log=$check_root/$engine/build.log
  bash "$repo_root/ci/oss-fuzz/build.sh" >"$build_log" 2>&1 ||
    { tail -30 "$build_log" >&2; die "[$engine] build.sh failed (log: $build_log)"; }
  log "[$engine] built: $(cd "$OUT" && ls | tr '\n' ' ')"
}

# The fuzzers build.sh put into $OUT: executable files without an extension.
built_fuzzers() {
  find "$OUT" -maxdepth 1 -type f -executable -name '*_fuzzer' -printf '%f\n' |
    sort
}

run_on_seeds() {
  local engine=$1 fuzzer=$2
  local zip=$OUT/${fuzzer}_seed_corpus.zip seeds=$WORK/seeds/$fuzzer
  for extra in options dict; do
    [[ -f $OUT/$fuzzer.$extra ]] || die "[$engine] $OUT/$fuzzer.$extra is missing"
  done
  [[ -f $zip ]] || die "[$engine] $zip is missing"
  rm -rf "$seeds" && mkdir -p "$seeds"
  unzip -q "$zip" -d "$seeds"
  local count run_log=$WORK/$fuzzer.log
  count=$(find "$seeds" -type f | wc -l)
  ((count > 0)) || die "[$engine] $zip holds no seeds"
  if [[ $engine == libfuzzer ]]; then
    local scratch=$WORK/scratch/$fuzzer
    rm -rf "$scratch" && mkdir -p "$scratch"
    # A scratch corpus comes first, so the seeds are never written to.
    "$OUT/$fuzzer" -runs=300 -seed=1 -dict="$OUT/$fuzzer.dict" \
      -artifact_prefix="$scratch/" "$scratch" "$seeds" >"$run_log" 2>&1 ||
      { tail -40 "$run_log" >&2; die "[$engine] $fuzzer failed on its seeds (log: $run_log)"; }
    grep -q "seed corpus: files: $count " "$run_log" ||
      die "[$engine] $fuzzer did not read all $count seeds (log: $run_log)"
  else
    "$OUT/$fuzzer" "$seeds"/* >"$run_log" 2>&1 ||
      { tail -40 "$run_log" >&2; die "[$engine] $fuzzer failed on its seeds (log: $run_log)"; }
  fi
  log "[$engine] $fuzzer: $count seeds ran clean"
}

# The regression cases of the zip of FUZZER (unzipped by run_on_seeds) fail
# on their fault as their header expects.
run_regression_seeds() {
  local engine=$1 fuzzer=$2 executor=${2%_fuzzer} checked=0 case_file
  [[ $executor == controlled || $executor == serial ]] || return 0
  for case_file in "$repo_root"/corpus/regressions/*.sched; do
    local name fault kind seed log=$WORK/regression.log status=0
    [[ $(sed -n 's/^executor: *//p' "$case_file") == "$executor" ]] || continue
    fault=$(sed -n 's/^fault: *//p' "$case_file")
    kind=$(sed -n 's/^expect: *//p' "$case_file")
    [[ -n $fault && $fault != none && -n $kind ]] || continue
    name=$(basename "$case_file" .sched)
    seed=$WORK/seeds/$fuzzer/$name.bin
    [[ -f $seed ]] || die "[$engine] $name.bin is not in ${fuzzer}_seed_corpus.zip"
    # A subshell, so bash's "Aborted" line (AFL++'s driver dies by SIGABRT)
    # goes to the log too.
    (
      THFUZZ_FAULT=$fault "$OUT/$fuzzer" "$seed"
      exit $?
    ) >"$log" 2>&1 || status=$?
    if ((status == 0)) || ! grep -q "==thfuzz== VIOLATION $kind " "$log"; then
      tail -20 "$log" >&2
      die "[$engine] $fuzzer: seed $name.bin with fault $fault: exit $status, want a $kind violation"
    fi
    checked=$((checked + 1))
  done
  ((checked > 0)) || die "[$engine] $fuzzer: no regression case to check"
  log "[$engine] $fuzzer: $checked regression seeds fail on their faults as expected"
}

check_engine() {
  local engine=$1
  emulate_environment "$engine"
  build_engine "$engine"
  local fuzzers
  mapfile -t fuzzers < <(built_fuzzers)
  ((${#fuzzers[@]} == 6)) ||
    die "[$engine] expected 6 fuzzers in $OUT, found ${#fuzzers[@]}: ${fuzzers[*]}"
  for fuzzer in "${fuzzers[@]}"; do
    run_on_seeds "$engine" "$fuzzer"
    run_regression_seeds "$engine" "$fuzzer"
  done
}

main() {
  local engines=("$@")
  if ((${#engines[@]} == 0)); then engines=(libfuzzer afl); fi
  for engine in "${engines[@]}"; do
    case $engine in
      libfuzzer | afl) ;;
      *) die "unknown engine '$engine' (libfuzzer or afl)" ;;
    esac
  done
  command -v zip >/dev/null && command -v unzip >/dev/null ||
    die "zip and unzip are needed (ci/setup.sh installs them)"
  for engine in "${engines[@]}"; do check_engine "$engine"; done
  log "OK: ${engines[*]}"
}

main "$@"
