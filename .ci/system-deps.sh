#!/bin/sh
# Makes sure the system tools the build needs are here: Emscripten (emcc),
# for the browser tests Chromium, and for the fuzz harnesses clang with
# libFuzzer's runtime (Debian ships it apart, in libclang-rt-14-dev).
# Installs them with apt-get when run as root on Debian; otherwise says
# exactly what to run.
# Usage: .ci/system-deps.sh [emcc] [chromium] [fuzzer]
set -e
missing=""
for tool in "$@"; do
  case "$tool" in
    emcc) command -v "${EMCC:-emcc}" >/dev/null 2>&1 || missing="$missing emscripten" ;;
    chromium) [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium" ;;
    fuzzer)
      cc=${FUZZ_CC:-clang-14}
      if ! command -v "$cc" >/dev/null 2>&1; then
        missing="$missing clang-14 libclang-rt-14-dev"
      elif ! ls "$("$cc" --print-runtime-dir)"/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
        missing="$missing libclang-rt-14-dev"
      fi ;;
  esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing:$missing (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi
echo "Missing system packages:$missing" >&2
echo "Install them once with:  sudo apt-get install$missing" >&2
echo "(other systems: install Emscripten with emsdk and point EMCC / emscripten.cfg at it; see README)" >&2
exit 1
