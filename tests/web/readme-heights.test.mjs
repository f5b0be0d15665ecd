// README's widget table says what web/src/embed/options.js says (WIDGETS,
// the one place): each view's title and its plain-iframe heights per column
// width; and the heights keep the promise of the table's measured content
// (nothing clipped, at most PLAIN_BLANK_MAX px blank at 700 px). The browser
// test in tests/browser/embed.test.mjs measures the content again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';

const { WIDGETS, WIDGET_IDS, PLAIN_BLANK_MAX, plainHeight, widgetTitle } = await import(pathToFileURL(path.join(root, 'web/src/embed/options.js')));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
// | `id` | title | content at 320 / 700 | plain heights |
const rows = Object.fromEntries([...readme.matchAll(/^\| `(\w+)` \| ([^|]+?) \| (\d+) \/ (\d+) \| ([^|]+?) \|$/gm)]
  .map(([, id, title, at320, at700, plain]) => [id, { title, content: [Number(at320), Number(at700)],
    plain: [...plain.matchAll(/(\d+) from (\d+) px/g)].map((m) => [Number(m[2]), Number(m[1])]) }]));

test('README\'s widget table lists every view, with the titles and plain-iframe heights of options.js', () => {
  assert.deepEqual(Object.keys(rows), WIDGET_IDS);
  for (const id of WIDGET_IDS) {
    assert.equal(rows[id].title, WIDGETS[id].embedTitle, `${id}: title`);
    assert.deepEqual(rows[id].plain, WIDGETS[id].plain, `${id}: plain heights`);
  }
});

test('README\'s plain iframe example has the snippet\'s title and height', () => {
  const m = readme.match(/<iframe src="https:\/\/YOUR-HOST\/embed\.html\?w=(\w+)[^"]*" title="([^"]+)"\s+width="100%" height="(\d+)"/);
  assert.ok(m, 'the example iframe');
  assert.deepEqual([m[2], Number(m[3])], [widgetTitle(m[1]), plainHeight(m[1])]);
});

test('each height shows the measured content whole, and leaves at most 120 px blank at 700 px', () => {
  assert.equal(PLAIN_BLANK_MAX, 120);
  for (const id of WIDGET_IDS) {
    const [at320, at700] = rows[id].content;
    assert.ok(plainHeight(id, 320) >= at320, `${id} at 320: ${plainHeight(id, 320)} < ${at320}`);
    assert.ok(plainHeight(id, 700) >= at700, `${id} at 700: ${plainHeight(id, 700)} < ${at700}`);
    assert.ok(plainHeight(id, 700) - at700 <= PLAIN_BLANK_MAX, `${id}: ${plainHeight(id, 700) - at700} px blank at 700`);
    const widths = WIDGETS[id].plain.map(([w]) => w);
    assert.equal(widths[0], 320, `${id}: the heights start at 320 px`);
    assert.deepEqual(widths, [...widths].sort((a, b) => a - b), `${id}: ascending widths`);
  }
});
