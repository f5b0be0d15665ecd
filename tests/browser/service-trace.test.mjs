// Chapter 7 shows the C sampler's own draw (the kitchen's sampleTrace), in
// headless Chromium: the name, each course and each number rolled on the
// page are the engine's for the dish's seed; Cook another takes the next seed
// and keeps the focus; no sampling is left in the page's JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { engine } from '../helpers/engine.mjs';
import { root, makemoreFile } from '../helpers/paths.mjs';

// the records the page opens with: Karpathy's makemore names (data/makemore_names.txt, the same bytes)
const names = readFileSync(makemoreFile, 'utf8');
let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const label = (vocab, k) => vocab[k] ?? 'bell';
const done = (p, seed) => p.waitForFunction((s) => document.querySelector(`[data-solo-seed="${s}"]`)
  && document.querySelector('[data-solo-done]'), seed, { timeout: 30000, polling: 50 });

/** What chapter 7 shows: {seed, t, name, courses, us, rolls} (rolls: each course's sentence, shown by clicking it). */
async function shown(p) {
  const seed = Number(await p.getAttribute('[data-solo-seed]', 'data-solo-seed'));
  const t = Number(await p.getAttribute('[data-service-temperature]', 'data-service-temperature'));
  const name = await p.getAttribute('[data-solo-name]', 'data-solo-name');
  const steps = await p.$$eval('[data-solo-step]', (li) => li.map((e) => ({ course: e.dataset.course, u: e.dataset.u })));
  const rolls = [];
  for (let k = 0; k < steps.length; k++) {
    await p.click(`[data-solo-step="${k}"] button`);
    await p.waitForSelector(`[data-solo-vote="${k}"]`);
    rolls.push(await p.textContent('[data-solo-roll]'));
  }
  return { seed, t, name, courses: steps.map((s) => s.course), us: steps.map((s) => Number(s.u)), rolls };
}

/** The dish shown is the trace: same name, same picks, the same numbers, said plainly. */
function assertIsTrace(view, trace, vocab, what) {
  assert.equal(view.name, trace.name, `${what}: the name`);
  assert.deepEqual(view.courses, trace.steps.map((x) => label(vocab, x.token)), `${what}: the courses`);
  assert.deepEqual(view.us, trace.steps.map((x) => x.u), `${what}: the numbers rolled`);
  for (const [k, x] of trace.steps.entries())
    assert.match(view.rolls[k], new RegExp(`^Ming rolled ${x.u.toFixed(2)}: that lands on '${label(vocab, x.token)}'`), `${what}: course ${k + 1}`);
}

test('the main page: chapter 7 shows the engine\'s trace for its seed, and Cook another the next seed, keeping focus', async () => {
  const page = await browser.newPage();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(site.url);
  await done(page, 1);
  // the page's Ming is the fresh run of seed 42 (nothing trained): the same in Node
  const s = engine.createSession({ text: names, seed: 42 });
  const first = await shown(page);
  assert.equal(first.seed, 1, 'the first dish is seed 1 for every reader');
  assert.equal(first.t, 0.5);
  assertIsTrace(first, s.sampleTrace(1, 0.5), s.vocabulary, 'seed 1');

  // a real click: the button keeps the focus while the next dish cooks and after
  await page.click('[data-action=cook]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'cook', 'focus stays on Cook another');
  await done(page, 2);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'cook', 'and after the dish is served');
  assertIsTrace(await shown(page), s.sampleTrace(2, 0.5), s.vocabulary, 'seed 2');
  await page.focus('[data-action=cook]');
  await page.keyboard.press('Enter');
  await done(page, 3);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'cook', 'focus stays after Enter');
  assertIsTrace(await shown(page), s.sampleTrace(3, 0.5), s.vocabulary, 'seed 3');

  // with motion the dish is revealed course by course: a press while it cooks is ignored (one seed on)
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.click('[data-action=cook]');
  const ignored = await page.$eval('[data-action=cook]', (b) => {
    if (b.getAttribute('aria-disabled') !== 'true') return false;
    b.click();
    return true;
  });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'cook');
  await done(page, 4);
  await page.waitForSelector('[data-action=cook][aria-disabled=false]');
  if (ignored) assert.equal(await page.getAttribute('[data-solo-seed]', 'data-solo-seed'), '4', 'the press while cooking did not skip a seed');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.errors, []);
  s.destroy();
  await page.close();
});

test('a trained service widget: the dish equals the kitchen\'s sampleTrace for the seed shown', async () => {
  const page = await browser.newPage({ width: 700, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${site.url}embed.html?w=service&start=trained&t=1.2`);
  await page.waitForFunction(() => globalThis.mingsKitchenRequest, null, { timeout: 20000 });
  // trained (1,000 dishes) and the dish cooked after it
  await page.waitForFunction(() => /at dish 1,000 of training/.test(document.querySelector('[data-solo-done]')?.textContent ?? ''), null, { timeout: 30000, polling: 100 });
  const vocab = [...'abcdefghijklmnopqrstuvwxyz', null];
  for (const seed of [1, 2]) {
    if (seed > 1) { await page.click('[data-action=cook]'); await done(page, seed); }
    const view = await shown(page);
    assert.equal(view.seed, seed);
    assert.equal(view.t, 1.2);
    const trace = await page.evaluate(([sd, t]) => globalThis.mingsKitchenRequest('sampleTrace', { seed: sd, temperature: t })
      .then((r) => ({ name: r.name, steps: r.steps.map((x) => ({ u: x.u, token: x.token })) })), [seed, view.t]);
    assertIsTrace(view, trace, vocab, `trained, seed ${seed}`);
    // and it is what the engine in Node draws after the same run (seed 42, 1,000 dishes)
    if (seed === 1) {
      const s = engine.createSession({ text: names, seed: 42 });
      s.train(1000, 1000);
      assert.deepEqual(trace, (({ name, steps }) => ({ name, steps: steps.map((x) => ({ u: x.u, token: x.token })) }))(s.sampleTrace(1, 1.2)));
      s.destroy();
    }
  }
  assert.deepEqual(page.problems.errors, []);
  await page.close();
});

test('no sampling in the page\'s JavaScript: Math.random appears nowhere in web/src', () => {
  const found = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(m?js|jsx)$/.test(f) && readFileSync(p, 'utf8').includes('Math.random')) found.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'web/src'));
  assert.deepEqual(found, []);
});
