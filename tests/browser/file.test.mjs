// Ming's dials in a file (features/file), in headless Chromium with the
// native CLI: a file the page saves, loaded by `microgpt train --load`,
// samples the reference run's names; a file the CLI saves, loaded by the
// page (button or drop), restores Ming and his place in the run (the page's
// own save of it is the CLI's file, byte for byte); a corrupt file, one of
// other records and one of another size are refused with C's message and
// the current Ming is kept. Waits on the page's and the kitchen's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { openPage, noErrors, press } from '../helpers/page.mjs';
import { loadRun } from '../helpers/ref.mjs';
import { cli, dataFile as usFile, makemoreFile } from '../helpers/paths.mjs';
// the page's default records are Karpathy's; the US 2018 list is other records
const dataFile = makemoreFile;
import { ask, kitchenAt, shows, until } from '../helpers/wait.mjs';

let site, browser, dir;
before(async () => { site = await serveSite(); browser = await openBrowser(); dir = mkdtempSync(path.join(tmpdir(), 'mg-file-')); });
after(async () => { await browser?.close(); await site?.close(); rmSync(dir, { recursive: true, force: true }); });

const open = (query = '?pace=instant') => openPage(browser, `${site.url}${query}`);
const shownNames = (page) => page.$$eval('li[data-mark] .dish', (els) => els.map((e) => e.textContent).join(' '));
const namesAre = (page, want, what) => until(page, (w) => [...document.querySelectorAll('li[data-mark] .dish')]
  .map((e) => e.textContent).join(' ') === w, want, what);
const cliJson = (args) => {
  const out = path.join(dir, `run-${Math.random().toString(36).slice(2)}.json`);
  execFileSync(cli, ['train', '--quiet', '--json', out, ...args]);
  return JSON.parse(readFileSync(out, 'utf8'));
};
async function savedFile(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'save-ming')]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  await shows(page, '[data-file-said]', /^Saved ming-seed\d+-dish\d+\.mgpt/);
  return file;
}
// the page's answer to a file given to Load Ming (done: not "Reading…")
async function loadInto(page, file) {
  await page.setInputFiles('[data-file-input]', file);
  await page.waitForSelector('[data-file-said][data-ok]:not([data-busy])');
  await until(page, () => !document.querySelector('[data-file-said][data-busy]'), null, 'the file to be read');
  return page.$eval('[data-file-said]', (e) => ({ ok: e.dataset.ok === 'true', text: e.textContent }));
}

test('page-saved file -> CLI: the same dials, the reference run\'s 20 names', async () => {
  const page = await open();
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  const file = await savedFile(page);
  assert.equal(path.basename(file), 'ming-seed42-dish1000.mgpt');
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 4).toString(), 'MGPT');
  assert.equal(bytes.readUInt32LE(4), 2, 'version 2: the records named');
  // the default records carry their preset id from the start (no setup panel asked)
  assert.equal(bytes.subarray(60, 92).toString('latin1').replace(/\0+$/, ''), 'karpathy', 'the file names the default preset');
  assert.equal((await ask(page, 'info')).records.preset, 'karpathy');
  const loaded = cliJson(['--data', dataFile, '--load', file]);
  const full = cliJson(['--data', dataFile, '--seed', '42', '--steps', '1000']);
  assert.deepEqual(loaded.samples, full.samples, 'the CLI samples the same names from the page\'s Ming as from its own run');
  assert.deepEqual(loaded.samples, loadRun('microgpt_makemore_seed42').samples, 'the reference run\'s names');
  assert.equal(loaded.losses.length, 0, 'nothing left to train: the file is at dish 1,000 of 1,000');
  noErrors(page);
  await page.close();
});

test('CLI-saved file -> page (the button, and a drop): Ming and his place restored, the names of his dish', async () => {
  const file = path.join(dir, 'cli-seed7.mgpt');
  execFileSync(cli, ['train', '--quiet', '--data', dataFile, '--seed', '7', '--steps', '5000', '--save', file]);
  // the names this Ming shows: a page that trains the same run itself
  const trained = await open('?v=1&seed=7&steps=5000&at=5000&pace=instant');
  await kitchenAt(trained, { step: 5000, state: 'done' });
  const want = (await ask(trained, 'names', { count: 20, temperature: 0.5 })).names.join(' ');
  await trained.close();

  const page = await open();
  const said = await loadInto(page, file);
  assert.ok(said.ok, said.text);
  assert.match(said.text, /^Loaded cli-seed7\.mgpt: Ming as he was after dish 5,000 of 5,000 \(seed 7\)/);
  const st = await kitchenAt(page, { step: 5000, numSteps: 5000, seed: 7, state: 'done' });
  assert.equal(st.earliest, 5000);
  await shows(page, '[data-counter=step]', '5,000 / 5,000');
  // the seed field follows the kitchen's seed after its render (an effect)
  await until(page, () => document.querySelector('.controls input[inputmode=numeric]')?.value === '7', null, 'the seed field to show 7');
  await namesAre(page, want, 'the names of seed 7 at dish 5,000');
  // the page saves what it loaded: the CLI's file, byte for byte (its records named as the CLI named them)
  const again = readFileSync(await savedFile(page));
  assert.ok(again.equals(readFileSync(file)), 'the same bytes');

  // a drop on the page: a file of another dish of the same run
  const mid = path.join(dir, 'cli-seed42-300.mgpt');
  execFileSync(cli, ['train', '--quiet', '--data', dataFile, '--seed', '42', '--steps', '300', '--save', mid]);
  await page.evaluate(([b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name));
    document.querySelector('main').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [readFileSync(mid).toString('base64'), 'dropped.mgpt']);
  await shows(page, '[data-file-said]', /^Loaded dropped\.mgpt: Ming as he was after dish 300 of 300 \(seed 42\)/);
  await kitchenAt(page, { step: 300, numSteps: 300, seed: 42, state: 'done' });
  noErrors(page);
  await page.close();
});

test('a corrupt file, one of other records, one of another size: C\'s message, and the current Ming kept', async () => {
  const good = path.join(dir, 'good.mgpt');
  execFileSync(cli, ['train', '--quiet', '--data', dataFile, '--seed', '42', '--steps', '1000', '--save', good]);
  const corrupt = path.join(dir, 'corrupt.mgpt');
  const bytes = readFileSync(good);
  bytes[5000] ^= 0x40; // a dial's bit: the checksum no longer holds
  writeFileSync(corrupt, bytes);
  const other = path.join(dir, 'us-2018.mgpt');
  execFileSync(cli, ['train', '--quiet', '--data', usFile, '--seed', '42', '--steps', '20', '--save', other]);
  const bigger = path.join(dir, 'bigger.mgpt');
  execFileSync(cli, ['train', '--quiet', '--data', dataFile, '--seed', '42', '--steps', '20', '--n-embd', '32', '--n-head', '8', '--save', bigger]);
  const junk = path.join(dir, 'notes.txt');
  writeFileSync(junk, 'emma\nolivia\n');

  const page = await open();
  await press(page, 'train');
  const before = await kitchenAt(page, { state: 'done', step: 1000 });
  const names = await shownNames(page);
  const cases = [
    [corrupt, /^corrupt\.mgpt: .*checksum.*\. Ming is unchanged\.$/],
    [other, /^us-2018\.mgpt: this Ming was trained on the records 'names\.txt' \(US baby names, 2018\), hash [0-9a-f]{16}: switch to them to load him\. \(this file was trained on the records 'names\.txt' \(hash [0-9a-f]{16}\), not these \(hash [0-9a-f]{16}\): load those records first\.\) Ming is unchanged\.$/],
    [bigger, /^bigger\.mgpt: this Ming is of another size \(width 32, sous chefs 8, stations 1, longest set 16; this one is width 16, sous chefs 4, stations 1, longest set 16\): switch to that size to load him\. \(the parameter file is for n_embd 32, n_head 8, n_layer 1, block_size 16; this model has 16, 4, 1, 16\.\) Ming is unchanged\.$/],
    [junk, /^notes\.txt: .*(magic|parameter file).*\. Ming is unchanged\.$/],
  ];
  for (const [file, message] of cases) {
    const said = await loadInto(page, file);
    assert.equal(said.ok, false, file);
    assert.match(said.text, message);
    assert.equal(await page.getAttribute('[data-file-said]', 'role'), 'alert');
    const st = await kitchenAt(page, { state: 'done', step: 1000 });
    assert.deepEqual([st.seed, st.numSteps, st.earliest], [before.seed, before.numSteps, before.earliest], 'the run is the same');
    assert.equal(await shownNames(page), names, 'the same names');
  }
  // and the Ming kept is the one trained: his losses go on as before
  assert.equal((await ask(page, 'losses')).length, 1000);
  noErrors(page);
  await page.close();
});

test('a file of other records or another size: the switch offered, Ming kept until it succeeds, then the file loaded', async () => {
  const cliFile = (name, args) => {
    const file = path.join(dir, name);
    execFileSync(cli, ['train', '--quiet', '--seed', '42', '--steps', '20', ...args, '--save', file]);
    return file;
  };
  const us = cliFile('us-2018-switch.mgpt', ['--data', usFile]);
  // records of one's own named as a preset's file (names.txt, as the US list's): the switch is offered, and fails
  mkdirSync(path.join(dir, 'mine'), { recursive: true });
  const mineData = path.join(dir, 'mine', 'names.txt');
  writeFileSync(mineData, 'emma\nolivia\nava\nmia\n');
  const lookalike = cliFile('lookalike.mgpt', ['--data', mineData]);
  const ownData = path.join(dir, 'mine', 'my-list.txt');
  writeFileSync(ownData, 'emma\nolivia\nava\nmia\n');
  const own = cliFile('own.mgpt', ['--data', ownData]);
  const bigger = cliFile('bigger-switch.mgpt', ['--data', dataFile, '--n-embd', '32', '--n-head', '8']);

  const page = await open();
  await press(page, 'train');
  const before = await kitchenAt(page, { state: 'done', step: 1000 });
  const infoBefore = await ask(page, 'info');
  const names = await shownNames(page);
  const penalty = await page.textContent('[data-counter=loss]');
  const kept = async (what) => {
    const st = await kitchenAt(page, { state: 'done', step: 1000 });
    assert.deepEqual([st.seed, st.numSteps], [before.seed, before.numSteps], what);
    const info = await ask(page, 'info');
    assert.deepEqual([info.records.hash, info.numDocs, info.numParams], [infoBefore.records.hash, infoBefore.numDocs, infoBefore.numParams], what);
    await namesAre(page, names, `the same names (${what})`);
    await shows(page, '[data-counter=loss]', penalty);
  };

  // records the site does not ship: say which (by hash), no switch
  let said = await loadInto(page, own);
  assert.match(said.text, /^own\.mgpt: this Ming was trained on the records 'my-list\.txt' \(hash [0-9a-f]{16}\), which this site does not ship: paste or open those records \(the list whose hash is [0-9a-f]{16}\) in Ming's setup, then load the file again\. \(.*\) Ming is unchanged\.$/);
  assert.equal(await page.$('[data-action=switch-load]'), null, 'nothing to switch to');

  // a preset's name, not its records: the switch is tried, and the Ming we had comes back
  said = await loadInto(page, lookalike);
  assert.equal(said.ok, false);
  await shows(page, '[data-action=switch-load]', 'Switch to US baby names, 2018 and load');
  await kept('offered only');
  await press(page, 'switch-load');
  await shows(page, '[data-file-said]:not([data-busy])', /^lookalike\.mgpt: US baby names, 2018 are not the records this Ming was trained on: .*\. Ming is as he was\.$/);
  await kept('after the switch that failed');

  // the preset the file was trained on: switched, then loaded
  said = await loadInto(page, us);
  assert.match(said.text, /^us-2018-switch\.mgpt: this Ming was trained on the records 'names\.txt' \(US baby names, 2018\), hash [0-9a-f]{16}: switch to them to load him\./);
  await kept('offered only');
  await press(page, 'switch-load');
  await shows(page, '[data-file-said]:not([data-busy])', /^Loaded us-2018-switch\.mgpt \(switched to US baby names, 2018\): Ming as he was after dish 20 of 20 \(seed 42\)/);
  await kitchenAt(page, { step: 20, numSteps: 20, seed: 42, state: 'done' });
  const info = await ask(page, 'info');
  assert.equal(info.numDocs, loadRun('microgpt_seed42').num_docs, 'the US 2018 list');
  assert.notEqual(info.records.hash, infoBefore.records.hash);
  await shows(page, '[data-counter=step]', '20 / 20');

  // another size: switched, then loaded
  said = await loadInto(page, bigger);
  assert.match(said.text, /^bigger-switch\.mgpt: this Ming of another size \(width 32, sous chefs 8, stations 1, longest set 16; this one is width 16, sous chefs 4, stations 1, longest set 16\) was trained on the records 'makemore_names\.txt' \(Karpathy's names \(makemore\)\), hash [0-9a-f]{16}: switch to them to load him\./);
  await press(page, 'switch-load');
  await shows(page, '[data-file-said]:not([data-busy])', /^Loaded bigger-switch\.mgpt \(switched to Karpathy's names \(makemore\)\): Ming as he was after dish 20 of 20/);
  const big = await ask(page, 'info');
  assert.deepEqual(big.config, { nEmbd: 32, nHead: 8, nLayer: 1, blockSize: 16 });
  assert.equal(big.numDocs, infoBefore.numDocs);
  noErrors(page);
  await page.close();
});
