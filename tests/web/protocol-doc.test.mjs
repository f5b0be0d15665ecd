// The kitchen's protocol (web/src/kitchen/PROTOCOL.md) states figures that
// the code owns: the engine's limits and milestones (C, through limits.js),
// the kitchen's paces, budgets and intervals, the heartbeat of client.js.
// Each figure is written in its module; this checks that every place the
// document states it says what the module holds, so the prose cannot go
// stale when a figure changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../helpers/paths.mjs';
import { ENGINE, PACES } from '../../web/src/limits.js';
import { SESSIONS_HELD } from '../../web/src/kitchen/kitchen.js';
import { PROGRESS_INTERVAL_MS } from '../../web/src/kitchen/run.js';
import { MAX_SAMPLE_COUNT } from '../../web/src/kitchen/queries.js';
import { SNAPSHOT_BUDGET_BYTES, FIRST_INTERVAL, DIAL_HISTORY_POINTS } from '../../web/src/kitchen/timeline.js';
import { DOWNLOAD_TIMEOUT_MS, TIMEOUT_BOUNDS_MS } from '../../web/src/kitchen/loading.js';
import { HEARTBEAT_MS, HEARTBEAT_MISSES } from '../../web/src/client.js';

const doc = readFileSync(path.join(root, 'web/src/kitchen/PROTOCOL.md'), 'utf8').replace(/\s+/g, ' ');
const fmt = (n) => n.toLocaleString('en-US');
const MiB = (bytes) => bytes / 2 ** 20;

/** Every match of re in the document, its first group each. */
const stated = (re) => [...doc.matchAll(re)].map((m) => m[1]);

test('the milestone dishes, wherever the protocol lists them, are the engine\'s', () => {
  const lists = stated(/dish(?:es)? ((?:\d[\d,]* ?, )+\d[\d,]*),? (?:and|or) (?:the|its) last/g);
  assert.ok(lists.length >= 3, `the milestone lists found (${lists.length})`);
  for (const list of lists) assert.equal(list, ENGINE.milestones.map(fmt).join(', '));
});

test('paces, run lengths, name counts and the seed bound are the code\'s', () => {
  assert.ok(doc.includes(`| \`watch\` (the default) | ${fmt(PACES.watch)} |`), 'the watch pace in the table');
  assert.ok(doc.includes(`| \`fast\` | ${fmt(PACES.fast)} |`), 'the fast pace in the table');
  assert.deepEqual(stated(/\(`watch`: (\d[\d,]*) dishes a second/g), [fmt(PACES.watch)]);
  assert.deepEqual(stated(/about (\d[\d,]*) at watch pace/g), [fmt(PACES.watch)]);
  const steps = stated(/`steps` \([^)]*?1 to (\d[\d,]*)/g);
  assert.ok(steps.length >= 2 && steps.every((s) => s === fmt(ENGINE.limits.runSteps)), `run lengths: ${steps}`);
  const counts = stated(/`count` \((\d+; 0 to \d+)\)/g);
  assert.ok(counts.length >= 3, `name counts found (${counts.length})`);
  for (const c of counts) assert.equal(c, `${ENGINE.defaults.names}; 0 to ${MAX_SAMPLE_COUNT}`);
  assert.ok(doc.includes(`step × ${MAX_SAMPLE_COUNT} + i`), 'namesSeed');
  assert.equal(2 ** 53, ENGINE.seedMax);
  assert.ok(doc.includes('a whole number 0 to 2^53'), 'the seed bound, 2^53 (the engine\'s seedMax)');
  assert.ok(doc.includes(`at most ${ENGINE.limits.presetBytes} printable ASCII characters`), 'the preset id bound');
});

test('budgets, intervals and timeouts are the kitchen\'s', () => {
  const budget = MiB(SNAPSHOT_BUDGET_BYTES);
  for (const phrase of [`the budget (${budget} MiB)`, `snapshots pass ${budget} MiB`, `at most ${budget} MiB`])
    assert.ok(doc.includes(phrase), phrase);
  assert.ok(doc.includes(`K starts at ${FIRST_INTERVAL} `), 'K at first');
  assert.ok(doc.includes(`at most 2^${Math.log2(DIAL_HISTORY_POINTS)} points`), 'the dial history bound');
  const quarter = MiB(ENGINE.limits.sessionBytes / SESSIONS_HELD);
  assert.deepEqual(stated(/(\d+) MiB; `SESSIONS_HELD`/g), [String(quarter)]);
  assert.deepEqual(stated(/the limit is (\d+) MiB: choose/g), [String(quarter)]);
  const every = stated(/at most every (\d+) ms/g);
  assert.ok(every.length >= 2 && every.every((ms) => Number(ms) === PROGRESS_INTERVAL_MS), `progress intervals: ${every}`);
  assert.ok(doc.includes(`\`timeoutMs\` (${DOWNLOAD_TIMEOUT_MS}; each download's limit, ${TIMEOUT_BOUNDS_MS[0]} to ${TIMEOUT_BOUNDS_MS[1]})`), 'init timeoutMs');
  assert.deepEqual(stated(/`timeoutMs` \((\d+) s\)/g), [String(DOWNLOAD_TIMEOUT_MS / 1000)]);
  assert.deepEqual(stated(/did not arrive within (\d+) s/g), [String(DOWNLOAD_TIMEOUT_MS / 1000)]);
  assert.ok(doc.includes(`a \`status\` request every ${HEARTBEAT_MS} ms`), 'the heartbeat');
  assert.ok(doc.includes(`within ${HEARTBEAT_MS * (HEARTBEAT_MISSES + 1) / 1000} s of its death`), 'silent after the misses');
});
