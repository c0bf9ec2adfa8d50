#!/usr/bin/env bash
# ci/browser.sh: the HTML report in a real browser (the `browser` stage of
# ci/test.sh).
#
#   bash ci/browser.sh [--screenshots DIR]
#
# Builds tophash-fuzz (preset default, build/default), renders one report
# page of every kind into build/default/browser/:
#   * a violation of each kind in corpus/regressions/ (the first file of
#     each kind: `tophash-fuzz replay FILE --html`),
#   * a clean run (`replay --fault none --html` of a regression),
#   * `check --html` of a violating, a linearizable and an empty history,
#   * two campaign pages: `run` on a fault, `plot-campaign` on libFuzzer logs,
# and loads each in headless Chromium (harness/report/html/browser_test.py)
# at 1280x800: the offending box is on screen without scrolling and takes
# a click at its centre, a real click on an operation shows "Map after it"
# with the map this script computes itself, no script errors; a campaign
# page's charts fit the window and draw every series, bounded. With
# --screenshots, a PNG of each page goes to DIR.
#
# Needs Debian's chromium: `bash ci/setup.sh browser` installs it when
# missing (ci/test.sh does that for this stage).
#
# Exit status: 0 every page passed; 1 a page failed; 2 the build, a render
# or Chromium's start failed.
set -euo pipefail
cd "$(dirname "$0")/.."

screenshots=()
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshots)
      [ $# -ge 2 ] || { echo "ci/browser.sh: --screenshots needs a directory" >&2; exit 2; }
      screenshots=(--screenshots "$2"); shift 2 ;;
    *) echo "ci/browser.sh: unknown argument '$1' (--screenshots DIR)" >&2; exit 2 ;;
  esac
done

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
[ -f build/default/CMakeCache.txt ] || cmake --preset default >/dev/null
cmake --build build/default -j2 --target tophash-fuzz || exit 2
tool=build/default/harness/cli/tophash-fuzz

out=build/default/browser
rm -rf "$out"
mkdir -p "$out"

# render NAME COMMAND...: runs a command that writes $out/NAME.html. Exit 1
# is a violation (expected for most pages); anything else but 0 is an error.
render() {
  local name=$1 status=0
  shift
  "$@" --html "$out/$name.html" >"$out/$name.txt" 2>&1 || status=$?
  if [ "$status" -gt 1 ] || [ ! -s "$out/$name.html" ]; then
    echo "ci/browser.sh: rendering $name failed (exit $status):" >&2
    cat "$out/$name.txt" >&2
    exit 2
  fi
}

declare -A seen=()
first_regression=
for file in corpus/regressions/*.sched; do
  name=$(basename "$file" .sched)
  kind=${name%-*}
  [ -n "${seen[$kind]:-}" ] && continue
  seen[$kind]=1
  first_regression=${first_regression:-$file}
  render "$kind" "$tool" replay "$file"
done
render linearizable "$tool" replay "$first_regression" --fault none

cat >"$out/check_lost_key.history" <<'EOF'
T0#0 [1,4] insert k1 T0#0 -> true
T1#0 [2,3] insert k2 T1#0 -> true
T1#1 [5,6] find k1 -> absent
T0#1 [7,8] find k2 -> ok T1#0
EOF
cat >"$out/check_linearizable.history" <<'EOF'
T0#0 [1,4] insert k1 T0#0 -> true
T1#0 [2,5] find k1 -> ok T0#0
T1#1 [6,9] insert_or_assign k1 T1#1
T0#1 [7,8] erase k1 -> true
final {k1=T1#1}
EOF
: >"$out/check_empty.history"
for name in check_lost_key check_linearizable check_empty; do
  render "$name" "$tool" check "$out/$name.history"
done

# Campaign pages (report/campaign_plot.h): a short `run` against a fault
# (findings on the page) and `plot-campaign` on two real libFuzzer logs
# (an ordinary run and a -fork=2 run of controlled_fuzzer).
"$tool" run --seconds 2 --jobs 1 --fault publish_tophash_before_key \
  --max-findings 3 --no-minimize --out "$out/run-campaign" \
  >"$out/run-campaign.txt" 2>&1 || [ $? -eq 1 ] || {
  echo "ci/browser.sh: the run campaign failed:" >&2
  cat "$out/run-campaign.txt" >&2
  exit 2
}
cp "$out/run-campaign/campaign.html" "$out/campaign_run.html"
"$tool" plot-campaign --out "$out/libfuzzer-campaign" \
  harness/report/testdata/controlled_fuzzer.log \
  harness/report/testdata/controlled_fuzzer_fork.log >/dev/null || exit 2
cp "$out/libfuzzer-campaign/campaign.html" "$out/campaign_libfuzzer.html"

python3 harness/report/html/browser_test.py "${screenshots[@]}" "$out"/*.html
