// Ming's setup (web/src/features/setup/) in headless Chromium: records the
// engine refuses give its message and what it takes, keep the reader's text
// in the box and keep the Ming they had; a preset is downloaded only when
// chosen and trains; a pasted list says how many records the block cuts; the
// dial count of a size is the CLI's `num params`; a refused size says why.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { ask, kitchenAt, until } from '../helpers/wait.mjs';
import { cli, dataFile, wasmFile } from '../helpers/paths.mjs';

let site, browser;
const dir = mkdtempSync(path.join(tmpdir(), 'mg-setup-'));
before(async () => { site = await serveSite(); browser = await openBrowser(); });
// each test's page, closed whatever happened (a page left open would hide the next one: no animation frames)
let open = [];
afterEach(async () => { for (const p of open) await p.close().catch(() => {}); open = []; });
after(async () => { await browser?.close(); await site?.close(); rmSync(dir, { recursive: true, force: true }); });

async function ready(page) {
  open.push(page);
  await page.goto(`${site.url}?pace=instant`);
  await page.waitForSelector('li[data-mark]', { timeout: 30000 });
  await page.click('[data-setup-panel] summary');
  await until(page, () => document.querySelector('[data-setup=preset] option[value=karpathy]'), null, 'the presets listed');
}
async function trainToEnd(page) {
  await page.click('[data-action=train]');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await until(page, () => /^1,000 \/ 1,000/.test(document.querySelector('[data-counter=step]').textContent), null, 'the page at dish 1,000');
}
const names = (page) => page.$$eval('li[data-mark] .dish', (els) => els.map((e) => e.textContent));
/** What the reader sees of the run, and the kitchen's. */
async function theRun(page) {
  const info = await ask(page, 'info');
  return { step: await page.textContent('[data-counter=step]'), penalty: await page.textContent('[data-counter=loss]'),
    names: await names(page), numDocs: info.numDocs, hash: info.records.hash, recordsName: await page.textContent('[data-setup-name]') };
}
/** The records note once it has settled on `kind` after a click. */
async function recordsNote(page, click, kind) {
  const seq = Number(await page.$eval('[data-setup-note=records]', (el) => el.dataset.seq));
  await click();
  await until(page, ([k, n]) => {
    const el = document.querySelector('[data-setup-note=records]');
    return Number(el.dataset.seq) > n && el.dataset.kind === k;
  }, [kind, seq], `the records note: ${kind}`, { timeout: 120000 }); // 16 MiB of records: one engine call of some seconds on a loaded machine
  return page.textContent('[data-setup-note=records]');
}
// puts text in the box as typing would (a long text in one go)
const typeText = (page, text) => page.$eval('[data-setup=text]', (el, t) => {
  el.value = t;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, text);
const boxText = (page) => page.$eval('[data-setup=text]', (el) => el.value);

test('records the engine refuses: its message, what it takes, the text kept in the box, the Ming kept', async () => {
  const page = await browser.newPage();
  await ready(page);
  await trainToEnd(page);
  const before = await theRun(page);
  const takes = /He takes plain text \(UTF-8\), one record per line: at most 16 MiB, no NUL bytes, at most 1,023 distinct characters/;
  const pasted = [
    ['empty', '', /the dataset is empty/],
    ['only blank lines', '\n   \n\n', /every line is blank/],
    ['a NUL byte', 'mei\nm\u0000ng\n', /contains a NUL byte \(byte 5, line 2\)/],
    ['too many distinct characters', Array.from({ length: 1100 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('\n'),
      /uses 1100 distinct characters; the limit is 1023/],
  ];
  for (const [what, text, message] of pasted) {
    await typeText(page, text);
    const note = await recordsNote(page, () => page.click('[data-action=use-text]'), 'error');
    assert.match(note, message, what);
    assert.match(note, takes, `${what}: what the engine takes`);
    assert.match(note, /He still knows his old records/);
    assert.ok((await boxText(page)) === text, `${what}: the text stays in the box`);
    assert.deepEqual(await theRun(page), before, `${what}: the Ming they had`);
  }
  // files (a list too long for a text box comes as a file): the engine judges
  // their bytes, a file over its limit is refused unread; the box keeps what
  // the reader typed
  await typeText(page, 'my own list\n');
  const files = [
    ['over 16 MiB', 'big.txt', Buffer.alloc(16 * 2 ** 20 + 1, 'a\n'), /the file is 16,777,217 bytes; the limit is 16,777,216 bytes \(16 MiB\)/],
    ['over the memory bound', 'many.txt', Buffer.alloc(16 * 2 ** 20, 'a\n'),
      /the records take \d+ MiB and n_embd 16, n_head 4, n_layer 1, block_size 16 need \d+ MiB more; the limit is \d+ MiB for both: .*or fewer records/],
    ['binary (the engine itself)', 'microgpt.wasm', readFileSync(wasmFile), /NUL byte/],
    ['invalid UTF-8', 'latin1.txt', Buffer.from([0x6d, 0x65, 0x69, 0x0a, 0x6a, 0x6f, 0x73, 0xe9, 0x0a]), /not valid UTF-8 \(byte 7, line 2\)/],
  ];
  for (const [what, name, buffer, message] of files) {
    // a file on disk: Chromium reads it itself (a buffer would cross the protocol whole)
    const file = path.join(dir, name);
    writeFileSync(file, buffer);
    const note = await recordsNote(page, () => page.setInputFiles('[data-setup=file]', file), 'error');
    assert.match(note, new RegExp(`Ming could not learn ${name.replace('.', '\\.')}`), what);
    assert.match(note, message, what);
    assert.match(note, takes, `${what}: what the engine takes`);
    assert.equal(await boxText(page), 'my own list\n', `${what}: the box keeps the reader's text`);
    assert.deepEqual(await theRun(page), before, `${what}: the Ming they had`);
  }
  assert.deepEqual(page.problems.errors, []);
  await page.close();
});

test('a preset is downloaded only when chosen, and trains', async () => {
  const page = await browser.newPage();
  await ready(page);
  const asked = () => page.problems.requests.filter((u) => /\/records\/[^/]+\.txt$/.test(u));
  assert.deepEqual(asked(), [], 'no preset list is downloaded at start');
  await page.selectOption('[data-setup=preset]', 'pokemon');
  assert.deepEqual(asked(), [], 'choosing in the list downloads nothing yet');
  const note = await recordsNote(page, () => page.click('[data-action=use-preset]'), 'ok');
  assert.match(note, /Ming learns Pokémon in six languages: 4,743 records, 219 courses \(characters\)\./);
  assert.deepEqual(asked().map((u) => new URL(u).pathname), ['/records/pokemon.txt']);
  assert.equal(await page.textContent('[data-setup-name]'), 'Pokémon in six languages');
  const info = await ask(page, 'info');
  assert.equal(info.records.preset, 'pokemon');
  assert.equal(info.numDocs, 4743);
  assert.equal(info.step, 0, 'a new run');
  await trainToEnd(page);
  const shown = await names(page);
  assert.equal(shown.length, 20);
  assert.ok(Number(await page.textContent('[data-counter=loss]')) < Math.log(220), 'the penalty fell below blind guessing among 220 courses');
  assert.deepEqual(page.problems.errors, []);
  assert.deepEqual(page.problems.console, []);
  await page.close();
});

test('a pasted list: the records the block cuts are counted, the text kept, the run new', async () => {
  const page = await browser.newPage();
  await ready(page);
  // block_size 16: 26 and 16 courses are cut (they need 27 and 17 positions), 15 is not
  const list = 'abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnop\nabcdefghijklmno\nming\nmei\n';
  await typeText(page, list);
  const note = await recordsNote(page, () => page.click('[data-action=use-text]'), 'ok');
  assert.match(note, /Ming learns your list: 5 records, 26 courses \(characters\)\. 2 records are longer than his longest set \(block_size 16\): he learns only the first 16 courses of each, as microgpt\.py does\./);
  assert.equal(await boxText(page), list);
  assert.equal(await page.textContent('[data-setup-name]'), 'your list');
  assert.equal((await ask(page, 'info')).cutRecords, 2);
  assert.equal(await ask(page, 'records'), list, 'the kitchen has the reader\'s text');
  await trainToEnd(page);
  await page.close();
});

test('the dial count of a size is the CLI\'s num params; a refused size says why and changes nothing', async () => {
  const page = await browser.newPage();
  await ready(page);
  const setSize = async (c) => {
    for (const [k, v] of Object.entries(c)) await page.fill(`[data-setup=${k}]`, String(v));
  };
  const dials = (n) => until(page, (want) => document.querySelector('[data-setup-dials]')?.dataset.dials === String(want), n, `${n} dials`);
  const sizes = [
    { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 16 },
    { nEmbd: 32, nHead: 8, nLayer: 2, blockSize: 16 },
    { nEmbd: 48, nHead: 6, nLayer: 3, blockSize: 24 },
  ];
  const counts = [];
  for (const c of sizes) {
    const out = execFileSync(cli, ['train', '--data', dataFile, '--steps', '1', '--samples', '0', '--n-embd', String(c.nEmbd),
      '--n-head', String(c.nHead), '--n-layer', String(c.nLayer), '--block-size', String(c.blockSize)], { encoding: 'utf8' });
    const cliParams = Number(/num params: (\d+)/.exec(out)[1]);
    await setSize(c);
    await dials(cliParams);
    counts.push(cliParams);
    assert.match(await page.textContent('[data-setup-dials]'), new RegExp(`${cliParams.toLocaleString('en-US')} dials`));
  }
  assert.deepEqual(counts.slice(0, 2), [4192, 26816], 'the issue\'s figures');
  // refused: the kitchen's message, Rebuild disabled
  const refused = async (c, message) => {
    await setSize(c);
    // the sizes are typed one by one: wait for the refusal of the whole size
    await until(page, (re) => {
      const el = document.querySelector('[data-setup-dials]');
      return el.classList.contains('error') && new RegExp(re).test(el.textContent);
    }, message.source, `the refusal ${message}`);
    assert.ok(await page.isDisabled('[data-action=apply-size]'));
  };
  await refused({ nEmbd: 30, nHead: 4, nLayer: 1, blockSize: 16 }, /^Refused: n_embd \(30\) must be divisible by n_head \(4\)/);
  await refused({ nEmbd: 512, nHead: 8, nLayer: 16, blockSize: 256 }, /^Refused: .*the limit (here )?is/);
  await refused({ nEmbd: 16, nHead: 4, nLayer: 17, blockSize: 16 }, /^Refused: n_layer must be 1\.\.16 \(got 17\)/);
  assert.equal((await ask(page, 'info')).numParams, 4192, 'nothing changed');
  // applied: a new Ming of that size
  await setSize(sizes[1]);
  await dials(26816);
  await page.click('[data-action=apply-size]');
  await until(page, () => document.querySelector('.lede [data-dials]')?.textContent === '26,816', null, 'the trainer says 26,816 dials');
  const info = await ask(page, 'info');
  assert.deepEqual(info.config, sizes[1]);
  assert.equal(info.numParams, 26816);
  await trainToEnd(page);
  assert.deepEqual(page.problems.errors, []);
  await page.close();
});
