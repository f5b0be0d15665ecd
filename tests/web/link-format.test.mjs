// The page's link format (web/src/features/link/format.js): what a link
// carries comes back as it was written; records of one's own travel deflated
// up to 4 KB and are named by hash beyond; bad, old and cut links give notes
// and leave the field to the page's default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { root, dataFile } from '../helpers/paths.mjs';

const { encodeLink, decodeLink, deflate, LINK_VERSION, MINE_MAX_BYTES, LINK_NAME_MAX } =
  await import(pathToFileURL(path.join(root, 'web/src/features/link/format.js')));

const VIEWS = ['records', 'courses', 'line', 'scorecard', 'trace', 'service'];
const split = (href) => { const i = href.indexOf('#'); return i < 0 ? [href, ''] : [href.slice(0, i), href.slice(i)]; };
const roundTrip = async (state) => {
  const { href, leftOut } = await encodeLink(state);
  return { ...(await decodeLink(...split(href), { views: VIEWS })), href, leftOut };
};

test('every field comes back as written, the version first', async () => {
  const state = { seed: 7, steps: 5000, at: 1234, view: 600, temperature: 0.7, pace: 'instant',
    config: { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 }, records: { preset: 'pokemon', name: 'Pokémon', hash: 'x', text: 'x' },
    names: { line: 'kar', scorecard: 'zoë' }, chapter: 'chapter-3' };
  const r = await roundTrip(state);
  assert.match(r.href, new RegExp(`^\\?v=${LINK_VERSION}&`));
  assert.ok(r.href.endsWith('#chapter-3'));
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.state, { seed: 7, steps: 5000, at: 1234, view: 600, temperature: 0.7, pace: 'instant',
    config: state.config, records: { preset: 'pokemon' }, names: state.names, chapter: 'chapter-3' });
  assert.equal(r.leftOut, null);
});

test('no link, and a link of only ?pace= (the page\'s older address), read as before', async () => {
  assert.deepEqual(await decodeLink('', ''), { state: {}, notes: [] });
  assert.deepEqual(await decodeLink('?pace=instant', ''), { state: { pace: 'instant' }, notes: [] });
});

test('records of one\'s own up to 4 KB deflated travel whole, UTF-8 and all', async () => {
  const text = 'zoë\nøyvind\n李明\n♀ anne-marie\n'.repeat(20);
  const r = await roundTrip({ seed: 42, records: { preset: '', name: 'my list.txt', hash: '0123456789abcdef', text } });
  assert.deepEqual(r.notes, []);
  assert.equal(r.leftOut, null);
  assert.deepEqual(r.state.records, { preset: '', name: 'my list.txt', hash: '0123456789abcdef', text });
});

test('records over 4 KB deflated are named by hash, and the link says it carries everything but them', async () => {
  // the SSA list deflates to far more than 4 KB
  const text = readFileSync(dataFile, 'utf8');
  assert.ok((await deflate(new TextEncoder().encode(text))).length > MINE_MAX_BYTES);
  const r = await roundTrip({ seed: 3, records: { preset: '', name: 'big.txt', hash: 'fedcba9876543210', text } });
  assert.equal(r.leftOut, 'records');
  assert.ok(r.href.length < 400, `the link stays short: ${r.href.length}`);
  assert.deepEqual(r.state.records, { preset: '', name: 'big.txt', hash: 'fedcba9876543210', text: null });
  assert.equal(r.state.seed, 3);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /carries everything but its records.*"big\.txt" \(hash fedcba9876543210\)/);
});

test('a link of another version opens with the defaults and says so', async () => {
  for (const v of ['2', '0', 'abc']) {
    const r = await decodeLink(`?v=${v}&seed=7&steps=5000`, '#chapter-2', { views: VIEWS });
    assert.deepEqual(r.state, {});
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0], new RegExp(`another version of the page \\(v=${v}; this page reads v=1\\).*defaults`));
  }
});

test('each bad field has its note and is left to the default; the good ones stay', async () => {
  const long = 'x'.repeat(500);
  const cases = [
    ['seed=-1', /^seed=-1 is not accepted: a whole number from 0 to 2147483648\. Using 42\.$/],
    ['seed=99999999999', /^seed=99999999999 is not accepted/],
    ['steps=7', /^steps=7 is not accepted: one of 1000, 5000, 20000/],
    ['t=9', /^t=9 is not accepted: a temperature from 0\.1 to 1\.5/],
    ['t=', /^t= is not accepted/],
    ['pace=warp', /^pace=warp is not accepted/],
    ['at=1001', /^at=1001 is not accepted: a whole number from 0 to 1000 .*Using an untrained Ming\.$/],
    ['at=1.5', /^at=1\.5 is not accepted/],
    ['size=16-4-1', /^size=16-4-1 is not accepted: four whole numbers/],
    ['size=a-b-c-d', /^size=a-b-c-d is not accepted/],
    ['records=%00bad', /^records=\0bad is not accepted: a preset id/],
    [`records=${long}`, /^records=x{40}… is not accepted/],
    ['mine=!!!', /^The records this link carries \(mine=!!!\) could not be read.*Using the default records\.$/],
    ['mine=AAAA', /could not be read/], // base64 of bytes that are no deflate stream
    [`mine=${'A'.repeat(6000)}`, /could not be read/], // longer than 4 KB could ever give
    ['mine-hash=xyz', /^mine-hash=xyz is not accepted: a records hash: 16 hex digits/],
    ['n.line=', /^n\.line= is not accepted: a name of 1 to 64 characters/],
    [`n.line=${'a'.repeat(LINK_NAME_MAX + 1)}`, /^n\.line=a{40}… is not accepted/],
    ['n.nowhere=emm', /^n\.nowhere names no view of this page/],
    ['colour=red', /fields this page does not know \(colour\)/],
  ];
  for (const [bad, note] of cases) {
    const base = bad.startsWith('seed=') ? 'pace=fast' : 'seed=5';
    const r = await decodeLink(`?v=1&${base}&${bad}`, '', { views: VIEWS });
    assert.equal(r.notes.length, 1, `${bad}: ${JSON.stringify(r.notes)}`);
    assert.match(r.notes[0], note, bad);
    const good = bad.startsWith('seed=') ? { pace: 'fast' } : { seed: 5 };
    assert.deepEqual(r.state, good, `${bad}: only the good fields`);
  }
  // the dish shown must be one trained
  const v = await decodeLink('?v=1&at=300&view=400', '');
  assert.deepEqual(v.state, { at: 300 });
  assert.match(v.notes[0], /^view=400 is not accepted: a whole number from 0 to 300 .*Using the latest dish\.$/);
});

test('a link cut short mid-records says the records could not be read, and keeps the rest', async () => {
  const { href } = await encodeLink({ seed: 9, records: { preset: '', name: 'mine', hash: null, text: 'ann\nbob\ncid\n'.repeat(50) } });
  const mine = new URLSearchParams(href).get('mine');
  const cut = `?v=1&seed=9&mine=${mine.slice(0, Math.floor(mine.length / 2))}`;
  const r = await decodeLink(cut, '');
  assert.deepEqual(r.state, { seed: 9 });
  assert.match(r.notes[0], /could not be read: the link was cut or changed/);
});

test('the chapter is the hash; other anchors are not a chapter', async () => {
  assert.equal((await decodeLink('?v=1', '#chapter-8')).state.chapter, 'chapter-8');
  assert.equal((await decodeLink('?v=1', '#trainer')).state.chapter, 'trainer');
  assert.equal((await decodeLink('?v=1', '#story-title')).state.chapter, undefined);
  assert.equal((await encodeLink({ chapter: 'javascript:alert(1)' })).href, `?v=${LINK_VERSION}`);
});
