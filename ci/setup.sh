#!/usr/bin/env bash
# Installs the Debian packages tophash-fuzz needs. Idempotent: when every
# package is already installed it changes nothing and touches no network.
# Must run as root (or with sudo available) on Debian 12.
#
#   bash ci/setup.sh           the build and test packages
#   bash ci/setup.sh browser   those and headless Chromium with a font, for
#                              the browser stage of ci/test.sh (ci/browser.sh)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  clang-14 lld-14 libclang-rt-14-dev llvm-14
  clang-19 libclang-rt-19-dev lld-19 llvm-19
  afl++ zip unzip python3-yaml
  libabsl-dev librapidcheck-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev libcuckoo-dev libboost-context-dev
)
for extra in "$@"; do
  case "$extra" in
    browser) packages+=(chromium fonts-dejavu-core) ;;
    *) echo "setup: unknown extra '$extra' (browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node and npm for the lint stage (ci/lint-workflows.sh). Judged by the
# commands, not the packages: a NodeSource nodejs package ships npm itself
# and conflicts with Debian's npm package.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present, and node and npm"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
