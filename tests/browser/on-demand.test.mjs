// The parts a first-time reader does not need at once (features/OnDemand.jsx),
// in headless Chromium: the first page at 1280 x 900 loads none of them, each
// loads when the reader comes to it, in the place kept for it (nothing
// moves), and a file dropped on the page before Save and Load have loaded is
// handed to Load Ming, never opened by the browser in place of the page.
// Waits on the page's and the kitchen's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { kitchenAt, opened, shows, until } from '../helpers/wait.mjs';
import { noErrors } from '../helpers/page.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const WINDOW = { width: 1280, height: 900 };
// each part's own files (chunks are named after their module, web/build.mjs)
const PARTS = {
  setup: /\/SetupBody-\w+\.js$|\/setup\.css$|\/presets\.json$/,
  proof: /\/ProofCheck-\w+\.js$|\/reference\//,
  compare: /\/Compare-\w+\.js$|\/compare\.css$/,
  grow: /\/GrowMing-\w+\.js$/,
  keep: /\/KeepRow-\w+\.js$/,
  format: /\/format-\w+\.js$/,
  embed: /\/EmbedPanel-\w+\.js$|\/embed-panel\.css$/,
  // run B's code in the kitchen worker (kitchen/companion.js) and the run switch
  runB: /\/companion-\w+\.js$|\/RunSwitch-\w+\.js$/,
};
const fetched = (page, part) => page.problems.requests.filter((u) => PARTS[part].test(u));
/** The height of what stands at sel (a part's place, or the part itself). */
const heightOf = (page, sel) => page.$eval(sel, (e) => e.getBoundingClientRect().height);

async function open(query = '?pace=instant') {
  const page = await browser.newPage(WINDOW);
  await page.goto(`${site.url}${query}`);
  await opened(page);
  return page;
}

test('1280 x 900: the first page loads none of the parts a reader reaches for later, and writes no address of its own', async () => {
  const page = await open('');
  for (const part of Object.keys(PARTS)) assert.deepEqual(fetched(page, part), [], `${part}: nothing fetched at load`);
  // the views are bundled with the main page (web/build.mjs bundleViews): no chunk of a view of its own
  const views = page.problems.requests.filter((u) => /\/(Trainer|records|courses|line|scorecard|trace|sensei|service|scale|dials)-\w+\.js$/.test(u));
  assert.deepEqual(views, [], 'no view loaded as a chunk of its own');
  // the places kept for Compare and for Copy link / Save / Load, below the fold
  assert.equal(await page.locator('#trainer [data-on-demand]').count(), 2, 'two parts wait for the reader in the trainer');
  assert.equal(await page.evaluate(() => location.search), '', 'a page opened with no link and left as it is has no query');
  noErrors(page);
  await page.close();
});

test('each part loads when the reader comes to it, in the place kept for it', async () => {
  const page = await open();
  // Compare and the keep row: scrolled to, they take their place's height (one row of controls at rest)
  const places = await page.$$eval('#trainer [data-on-demand]', (els) => els.map((e) => e.getBoundingClientRect().height));
  await page.$eval('.trainer-embed', (e) => e.scrollIntoView({ block: 'end' }));
  await page.waitForSelector('[data-action=compare]');
  await page.waitForSelector('[data-action=copy-link]');
  assert.equal(await page.locator('#trainer [data-on-demand]').count(), 0, 'no place left waiting in the trainer');
  assert.equal(await heightOf(page, '[data-compare]'), places[0], 'Compare at rest: its place\'s height');
  assert.equal(await heightOf(page, '.keep'), places[1], 'Copy link, Save and Load at rest: their place\'s height');
  assert.ok(fetched(page, 'compare').length && fetched(page, 'keep').length);
  // the setup panel: its pickers and their style sheet when opened
  await page.click('[data-setup-panel] summary');
  await until(page, () => document.querySelector('[data-setup=preset] option[value=karpathy]'), null, 'the presets listed');
  assert.equal(await page.$eval('.setup fieldset', (e) => getComputedStyle(e).borderTopStyle), 'none', 'setup.css applies');
  // the embed panel, with its style sheet
  await page.click('.trainer-embed [data-action=embed]');
  await page.waitForSelector('#embed-trainer-host');
  assert.equal(await page.$eval('.snippet-head', (e) => getComputedStyle(e).display), 'flex', 'embed-panel.css applies');
  // the proof's check: with the run's first loss
  assert.deepEqual(fetched(page, 'proof'), [], 'no proof before a run');
  await page.$eval('[data-action=train]', (b) => b.click());
  await kitchenAt(page, { state: 'done', step: 1000 });
  await shows(page, '[data-proof]', 'same', { attr: 'data-proof' });
  // Grow Ming, when chapter 8 comes near
  assert.deepEqual(fetched(page, 'grow'), [], 'Grow Ming not before chapter 8');
  await page.$eval('#chapter-8', (e) => e.scrollIntoView());
  await page.waitForSelector('[data-action=grow]');
  noErrors(page);
  await page.close();
});

test('run B\'s parts: compare.css with Compare, the worker\'s run B code and the run switch with the first run B', async () => {
  const page = await open();
  await page.$eval('.trainer-embed', (e) => e.scrollIntoView({ block: 'end' }));
  await page.click('[data-action=compare]');
  await page.waitForSelector('#compare-panel');
  assert.ok(fetched(page, 'compare').some((u) => u.endsWith('/compare.css')), 'compare.css fetched with Compare');
  assert.equal(await page.$eval('#compare-panel', (e) => getComputedStyle(e).paddingTop), '10px', 'compare.css applies');
  assert.deepEqual(fetched(page, 'runB'), [], 'no run B code before a run B');
  // a request type of neither run, for run A or for run B: refused at once, run B's code not downloaded
  for (const fields of [{}, { run: 'B' }]) {
    const refused = await page.evaluate((f) => globalThis.mingsKitchenRequest('frobnicate', f).then(() => 'answered', (e) => e.message), fields);
    assert.match(refused, /unknown request type 'frobnicate'/, JSON.stringify(fields));
  }
  // the worker's own record of what it fetched (the page's request events may come after the reply)
  const workerFetched = await Promise.all(page.workers().map((w) => w.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))));
  assert.ok(workerFetched.flat().some((u) => /\/worker\.js$|\.wasm$/.test(u)), `the kitchen worker's fetches are seen (${workerFetched})`);
  assert.deepEqual(workerFetched.flat().filter((u) => PARTS.runB.test(u)), [], 'no run B code for a request of an unknown type');
  await page.click('[data-action=train-b]');
  await page.waitForSelector('[data-run-switch=bar] input[data-show-run=B]');
  const got = fetched(page, 'runB');
  assert.ok(got.some((u) => /\/companion-\w+\.js$/.test(u)), `the worker loaded run B's code (${got})`);
  assert.ok(got.some((u) => /\/RunSwitch-\w+\.js$/.test(u)), `the page loaded the run switch (${got})`);
  assert.equal(await page.$eval('[data-run-switch=bar]', (e) => getComputedStyle(e).columnGap), '10px', 'the switch styled (compare.css)');
  // the views of run B, with their note
  await page.click('[data-run-switch=bar] input[data-show-run=B]');
  await page.waitForSelector('[data-shown-run=B] [data-shown-run-note]');
  noErrors(page);
  await page.close();
});

test('a file dropped before Save and Load have loaded goes to Load Ming: its message, and the page stays', async () => {
  const page = await open();
  assert.deepEqual(fetched(page, 'keep'), [], 'Save and Load not loaded yet (below the fold)');
  await page.evaluate(() => {
    window.__samePage = true; // gone if the browser opened the file in place of the page
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])], 'not-a-ming.mgpt'));
    const main = document.querySelector('main');
    main.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    main.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('[data-file-said][data-ok=false]');
  assert.match(await page.textContent('[data-file-said]'), /not-a-ming\.mgpt/);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'the page is still the page');
  assert.equal(await page.getAttribute('[data-file-said]', 'role'), 'alert');
  noErrors(page);
  await page.close();
});

test('a link loads its format at once; a page with none, at its first change', async () => {
  const linked = await open('?v=1&seed=7&pace=instant');
  assert.ok(fetched(linked, 'format').length, 'the link was read with its format');
  assert.equal(await linked.inputValue('#trainer input[inputmode=numeric]'), '7');
  await linked.close();
  const page = await open('');
  assert.deepEqual(fetched(page, 'format'), []);
  await page.$eval('#temperature', (el) => { el.value = '0.7'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await until(page, () => location.search.includes('t=0.7'), null, 'the address to follow the risk dial');
  assert.ok(fetched(page, 'format').length, 'the format loaded to write it');
  noErrors(page);
  await page.close();
});
