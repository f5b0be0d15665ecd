#!/bin/sh
# Runs each libFuzzer harness for a while (make fuzz): working corpus in
# build/fuzz/corpus-NAME (seeded from tests/fuzz/corpus/NAME, which is read
# but never written), full log in build/fuzz/NAME.log, crashes saved as
# build/fuzz/NAME-{crash,leak,timeout}-*. Prints each run's final statistics; fails if any
# harness found something.
# Usage: tests/fuzz/run.sh SECONDS NAME...
set -u
cd "$(dirname "$0")/../.."
seconds=$1
shift
# readable stacks: clang's symbolizer, which Debian keeps off PATH
[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ] && export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
failed=""
for f in "$@"; do
  work=build/fuzz/corpus-$f
  log=build/fuzz/$f.log
  mkdir -p "$work"
  cp -p tests/fuzz/corpus/"$f"/* "$work"/
  echo "== $f: fuzzing for $seconds s (log: $log)"
  build/fuzz/"$f" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/"$f"- "$work" tests/fuzz/corpus/"$f" >"$log" 2>&1
  rc=$?
  # the last coverage line ("#N DONE cov: ... ft: ... corp: ... exec/s") and the stats
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|^Done ' "$log"
  if [ "$rc" != 0 ]; then
    echo "== $f FAILED (exit $rc): the report, from $log:"
    grep -nE 'ERROR|runtime error|harness:|SUMMARY|Test unit written|^ +#[0-9]+ ' "$log" | head -60
    failed="$failed $f"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzzing found problems in:$failed (inputs in build/fuzz/NAME-crash-* and the like)" >&2
  exit 1
fi
