#!/bin/bash -eu
# ClusterFuzzLite build script: the OSS-Fuzz one, so pull requests are fuzzed
# exactly as OSS-Fuzz fuzzes the main branch.
exec "$SRC/tophash-fuzz/ci/oss-fuzz/build.sh" "$@"
