// The libFuzzer harnesses of tests/fuzz/*.c, built by `make fuzzers` (a
// prerequisite of make test; this file builds nothing). For each harness:
// every input in its corpus (seeds and regress-* inputs of past findings) is
// replayed, then it fuzzes for about 5 s from that corpus. Any crash, leak,
// sanitizer report, broken harness invariant or timeout fails the test; the
// input that caused it is kept in build/fuzz/test-NAME-{crash,leak,timeout}-*.
// Longer runs: make fuzz FUZZ_SECONDS=600.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root, build } from '../helpers/paths.mjs';

const FUZZERS = ['dataset', 'checkpoint', 'names'];
const SECONDS = 5; // a smoke run in make test; make fuzz runs for minutes
const corpusOf = (name) => path.join(root, 'tests', 'fuzz', 'corpus', name);

const symbolizer = '/usr/lib/llvm-14/bin/llvm-symbolizer';
const env = {
  ...process.env,
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
  ...(existsSync(symbolizer) ? { ASAN_SYMBOLIZER_PATH: symbolizer } : {}),
};
// What libFuzzer and the sanitizers print when something went wrong, and
// what a harness prints when one of its invariants broke.
const REPORT = /ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|deadly signal|harness: |==\d+== ?ERROR/;

const tmp = mkdtempSync(path.join(tmpdir(), 'mg-fuzz-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Runs a harness; resolves with its exit status and output, never rejects on a non-zero exit.
function run(bin, args) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number' && !error.signal) return reject(error);
      resolve({ status: error ? error.code ?? null : 0, signal: error?.signal ?? null, out: stdout + stderr });
    });
  });
}

// The part of a log that says what went wrong: from the first report line on.
function excerpt(out) {
  const lines = out.split('\n');
  const first = lines.findIndex((l) => REPORT.test(l));
  return lines.slice(first >= 0 ? Math.max(0, first - 2) : -40, first >= 0 ? first + 60 : undefined).join('\n');
}

function assertClean(r, what) {
  assert.equal(r.signal, null, `${what} died of ${r.signal}:\n${excerpt(r.out)}`);
  assert.ok(!REPORT.test(r.out), `${what} reported a problem:\n${excerpt(r.out)}`);
  assert.ok(r.status === 0, `${what} exited ${r.status}:\n${excerpt(r.out)}`);
}

for (const name of FUZZERS) {
  test(`fuzz ${name}: the corpus replays clean, then ${SECONDS} s of fuzzing find nothing`, { timeout: 180_000 }, async (t) => {
    const bin = path.join(build, 'fuzz', name);
    assert.ok(existsSync(bin), `${bin} is missing: build the harnesses with \`make fuzzers\``);
    const corpus = corpusOf(name);
    const inputs = readdirSync(corpus).map((f) => path.join(corpus, f));
    assert.ok(inputs.length >= 3, `${corpus} should hold a few seed inputs`);

    // 1. every seed and regression input, once each
    const replay = await run(bin, inputs);
    assertClean(replay, `${name} replaying ${corpus}`);
    const executed = replay.out.match(/^Executed .* in \d+ ms$/gm) ?? [];
    assert.equal(executed.length, inputs.length, `every corpus input ran:\n${replay.out.slice(-2000)}`);

    // 2. fuzzing from the corpus; new inputs go to a scratch dir, the repository's corpus is only read
    const work = path.join(tmp, name);
    mkdirSync(work);
    const artifacts = path.join(build, 'fuzz', `test-${name}-`);
    const fuzz = await run(bin, [
      `-max_total_time=${SECONDS}`, '-timeout=30', '-print_final_stats=1',
      `-artifact_prefix=${artifacts}`, work, corpus,
    ]);
    assertClean(fuzz, `${name} fuzzing (crash input, if any: ${artifacts}*)`);
    const done = fuzz.out.match(/^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)/m);
    assert.ok(done, `libFuzzer's final line is missing:\n${fuzz.out.slice(-2000)}`);
    const runs = Number(fuzz.out.match(/^stat::number_of_executed_units: (\d+)/m)?.[1] ?? done[1]);
    assert.ok(runs > inputs.length, `${name} fuzzed (${runs} executions)`);
    t.diagnostic(`${name}: ${runs} executions, cov: ${done[2]} ft: ${done[3]}`);
  });
}
