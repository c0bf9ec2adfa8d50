#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for tophash-fuzz.
#
# Runs inside the base-builder image with the usual environment: $CC $CXX
# $CFLAGS $CXXFLAGS (sanitizer and coverage flags), $LIB_FUZZING_ENGINE (the
# engine to link: -fsanitize=fuzzer, or AFL++'s driver library), $SRC (the
# sources; the repository is $SRC/tophash-fuzz), $WORK (scratch) and $OUT
# (where the fuzzers go). It configures our CMake project with those flags
# (only the fuzz targets are built), then puts into $OUT, per target T:
#   T  T.options  T.dict  T_seed_corpus.zip
# The seed zip holds the target's seeds (corpus/seeds/T/) and, for the
# targets whose input is a schedule, every regression case of
# corpus/regressions/ too: each reaches a window where a bug once hid, and
# each passes on the production map, so PR fuzzing (ClusterFuzzLite) and
# OSS-Fuzz start from them.
# ci/oss-fuzz/check.sh runs this script locally with an emulated environment.

src=${THFUZZ_SRC:-$SRC/tophash-fuzz}
build=$WORK/tophash-fuzz-build
targets=(serial_fuzzer controlled_fuzzer stress_fuzzer codec_fuzzer
  checker_fuzzer fast_path_fuzzer)
schedule_targets=" serial_fuzzer controlled_fuzzer stress_fuzzer "

# OSS-Fuzz compiles C++ against libc++, but the Debian packages we link
# (Abseil, TBB, Boost.Context) are built against libstdc++; mixing the two
# breaks at link time. Only MSan needs libc++, and we do not use MSan.
CXXFLAGS=${CXXFLAGS//-stdlib=libc++/}

launcher=()
if [[ -n ${THFUZZ_CCACHE:-} ]] && command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

echo "build.sh: configuring $src in $build"
cmake -S "$src" -B "$build" -G Ninja "${launcher[@]}" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_TYPE= \
  -DTHFUZZ_FUZZERS=ON -DTHFUZZ_BENCHMARKS=OFF -DBUILD_TESTING=OFF \
  -DTHFUZZ_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" >/dev/null

echo "build.sh: building ${targets[*]}"
cmake --build "$build" --target "${targets[@]}" -j"$(nproc)"

for target in "${targets[@]}"; do
  cp "$build/fuzz/$target" "$OUT/"
  cp "$src/fuzz/$target.options" "$src/fuzz/$target.dict" "$OUT/"
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$build/fuzz/seeds/$target" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
  if [[ $schedule_targets == *" $target "* ]]; then
    regressions=$WORK/regression-seeds/$target
    rm -rf "$regressions"
    "$build/fuzz/encode_seeds" --out "$regressions" "$src"/corpus/regressions/*.sched
    (cd "$regressions" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
  fi
  echo "build.sh: $OUT/$target (+ .options, .dict, _seed_corpus.zip)"
done
