// The proof in headless Chromium (features/proof): the page opens on
// Karpathy's makemore names; Train at seed 42 with 1,000 dishes reproduces
// his run (every penalty within 1e-12 of tests/fixtures/reference/
// microgpt_makemore_seed42.json, his 20 names) and the page says so. The
// reference file is downloaded only once such a run is trained. Served
// tampered (one penalty changed at dish K; one name changed), the page
// reports dish K, or the name: it compares with the file, not with itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser, shotPath, foreignRequests } from '../helpers/browser.mjs';
import { ask, kitchenAt, shows, rendered } from '../helpers/wait.mjs';
import { root } from '../helpers/paths.mjs';
import { loadRun, firstOff } from '../helpers/ref.mjs';

const karpathy = loadRun('microgpt_makemore_seed42');
const shipped = readFileSync(path.join(root, 'data', 'reference', 'karpathy-seed42.json'), 'utf8');
const REF = '**/reference/karpathy-seed42.json';
const refAsked = (page) => page.problems.requests.filter((u) => /\/reference\/[^/]+\.json$/.test(u) && !u.endsWith('/index.json'));
let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

async function open(page, query = '?pace=instant') {
  await page.goto(`${site.url}${query}`);
  await page.waitForSelector('li[data-mark]', { timeout: 30000 });
}
async function train(page) {
  await page.click('[data-action=train]');
  await kitchenAt(page, { state: 'done', step: 1000 });
}
const proof = (page) => page.$eval('.proof', (e) => ({ state: e.dataset.proof, text: e.querySelector('p').textContent, firstDiff: e.dataset.firstDiff, nameDiff: e.dataset.nameDiff }));

test('the default run is Karpathy\'s, and the page proves it; the reference comes only with the run', async () => {
  const page = await browser.newPage();
  await open(page);
  const idle = await proof(page);
  assert.equal(idle.state, 'idle');
  assert.deepEqual(refAsked(page), [], 'no reference in the first page weight');
  assert.ok(!page.problems.requests.some((u) => u.includes('/reference/')), 'not even the index');
  await train(page);
  await shows(page, '.proof > p', 'Same as Karpathy\'s microgpt.py: 1,000 of 1,000 penalties equal to 1e-12, 20 of 20 names.');
  assert.equal((await proof(page)).state, 'same');
  // the names compared are there to read: his
  await page.click('.proof-names summary');
  assert.equal(await page.textContent('[data-proof-names]'), karpathy.samples.join(', '));
  // the figures themselves, against the fixture (CPython's run of his program)
  const losses = Array.from(Object.values(await ask(page, 'losses')));
  assert.equal(firstOff(losses, karpathy.losses, 1e-12), null);
  assert.deepEqual((await ask(page, 'finalNames', { count: 20, temperature: 0.5 })).names, karpathy.samples);
  assert.deepEqual(refAsked(page).map((u) => new URL(u).pathname), ['/reference/karpathy-seed42.json'], 'only the matching reference');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.errors, []);
  assert.deepEqual(foreignRequests(page, site.origin), []);
  for (const [w, scheme] of [[1280, 'light'], [360, 'dark']]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: w, height: 900 });
    await page.locator('.proof').scrollIntoViewIfNeeded();
    await rendered(page);
    await page.locator('#trainer').screenshot({ path: shotPath(`proof-${w}-${scheme}.png`) });
  }
  await page.close();
});

test('a run of another seed matches no reference: nothing downloaded, nothing claimed', async () => {
  const page = await browser.newPage();
  await open(page);
  await page.fill('#trainer input[inputmode=numeric]', '7');
  await page.$eval('#trainer input[inputmode=numeric]', (e) => e.dispatchEvent(new Event('change', { bubbles: true })));
  await kitchenAt(page, { seed: 7 });
  await train(page);
  // the index was read (the run started) and the run's settings are in no reference
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/reference/index.json')), null, { timeout: 30000 });
  assert.equal((await proof(page)).state, 'idle');
  assert.deepEqual(refAsked(page), []);
  await page.close();
});

for (const K of [1, 613, 1000]) {
  test(`a reference served with its penalty at dish ${K} changed: the page reports dish ${K}`, async () => {
    const page = await browser.newPage();
    const bad = JSON.parse(shipped);
    bad.losses[K - 1] += 1e-9;
    await page.route(REF, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(bad) }));
    await open(page);
    await train(page);
    await shows(page, '.proof > p', new RegExp(`^Differs from Karpathy's microgpt\\.py at dish ${K.toLocaleString('en-US')}: penalty `));
    const p = await proof(page);
    assert.equal(p.state, 'differs');
    assert.equal(p.firstDiff, String(K));
    assert.ok(p.text.includes(`where Karpathy's microgpt.py printed ${bad.losses[K - 1]}`), p.text);
    await page.close();
  });
}

test('a reference served with one name changed: the page reports that name', async () => {
  const page = await browser.newPage();
  const bad = JSON.parse(shipped);
  bad.names[6] = 'yeranx';
  await page.route(REF, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(bad) }));
  await open(page);
  await train(page);
  await shows(page, '.proof > p', /but its names differ from name 7/);
  const p = await proof(page);
  assert.equal(p.state, 'names-differ');
  assert.equal(p.nameDiff, '7');
  assert.ok(p.text.includes(`"${karpathy.samples[6]}" where Karpathy's microgpt.py printed "yeranx" (19 of 20 names equal)`), p.text);
  assert.ok(p.text.includes('1,000 of 1,000 penalties equal to 1e-12'), p.text);
  await page.close();
});
