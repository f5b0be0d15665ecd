// Widgets in a blog post on another origin: sized to their content, sharing
// one kitchen (SharedWorker when allowed, sibling frames otherwise), safe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';
import { serveSite, serveBlog } from '../helpers/server.mjs';
import { openBrowser, framedShot, foreignRequests, foreignFrameRequests } from '../helpers/browser.mjs';
import { press } from '../helpers/page.mjs';

let site, blog;
before(async () => { site = await serveSite(); blog = await serveBlog(site.origin); });
after(async () => { await blog?.close(); await site?.close(); });

const widgetFrames = (page) => page.frames().filter((f) => f.url().startsWith(`${site.origin}/embed.html`));
const frameOf = (page, id) => widgetFrames(page).find((f) => new URL(f.url()).searchParams.get('w') === id);

async function openPost(browser, width) {
  const page = await browser.newPage({ width, height: 900 });
  await page.goto(blog.url);
  // the frames load lazily: bring each into view once
  for (const el of await page.$$('iframe')) await el.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('iframe').length === 6);
  await page.waitForFunction((origin) => [...document.querySelectorAll('iframe')].every((f) => f.src.startsWith(origin)), site.origin);
  for (const id of WIDGETS) {
    const deadline = Date.now() + 15000;
    let f;
    while (!(f = frameOf(page, id)) && Date.now() < deadline) await page.waitForTimeout(50);
    assert.ok(f, `frame ${id}`);
    await f.waitForSelector(`[data-view="${id}"], .trainer`, { timeout: 15000 });
  }
  // every widget has its kitchen open (polled by timer: off-screen frames get no animation frames)
  for (const id of WIDGETS) await frameOf(page, id).waitForFunction(() => document.documentElement.dataset.phase === 'ready', null, { timeout: 30000, polling: 100 });
  return page;
}
const WIDGETS = ['trainer', 'line', 'service', 'scale', 'scorecard'];

// A request to the kitchen through a widget's own request function.
const ask = (f, type, fields = {}) => f.evaluate(([t, x]) => globalThis.mingsKitchenRequest(t, x), [type, fields]);
// Waits until the kitchen, asked through widget f, is in one of the states
// and at least at dish stepAtLeast; returns that status.
async function kitchenReaches(f, { state, stepAtLeast = 0 }, timeout = 30000) {
  const states = [state].flat();
  const deadline = Date.now() + timeout;
  let st = null;
  for (;;) {
    st = await ask(f, 'status').catch(() => null); // null: between two kitchens
    if (st && states.includes(st.state) && st.step >= stepAtLeast) return st;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100)); // the next look
  }
  assert.fail(`the kitchen did not reach ${states} at dish ${stepAtLeast} (it is ${st?.state} at ${st?.step})`);
}
// What the trainer's controls show, read from its DOM (installed in the frame,
// so a wait can use it too); null while the widget has not drawn its controls yet.
async function trainerView(f) {
  return f.evaluate(() => {
    window.__trainerView ??= () => (!document.querySelector('#trainer .controls') ? null : {
      state: document.querySelector('#trainer .controls').dataset.state,
      train: document.querySelector('[data-action=train]').textContent,
      trainDisabled: document.querySelector('[data-action=train]').disabled,
      resetDisabled: document.querySelector('[data-action=reset]').disabled,
      selectDisabled: document.querySelector('#trainer select').disabled,
      step: document.querySelector('[data-counter=step]').textContent,
    });
    return window.__trainerView();
  });
}
const fmt = (n) => n.toLocaleString('en-US');
const idOf = (f) => new URL(f.url()).searchParams.get('w');
// The service widget's share of invented names (200 names at its temperature 0.7, private stream seed 7, as its
// header says), computed here from the kitchen's own sample and records.
const kitchenShare = (f) => f.evaluate(async () => {
  const menu = new Set(await globalThis.mingsKitchenRequest('menu')); // the records as the engine took them
  const names = await globalThis.mingsKitchenRequest('sample', { count: 200, temperature: 0.7, seed: 7 });
  return (names.filter((n) => !menu.has(n)).length / names.length).toFixed(3);
});
// The trainer as it must show a kitchen status (the labels and locks of Trainer.jsx, written out here).
function trainerShould(st) {
  const over = st.state === 'done' || st.state === 'stopped';
  return {
    state: st.state,
    train: { training: 'Pause', paused: 'Resume', idle: 'Train', warming: 'Train' }[st.state] ?? (over ? 'Train again' : '?'),
    trainDisabled: false,
    resetDisabled: st.state === 'idle',
    selectDisabled: ['training', 'paused', 'warming'].includes(st.state),
    step: `${fmt(st.step)} / ${fmt(st.numSteps)}`,
  };
}
// Waits (by timer: an off-screen frame gets no animation frames) until the
// trainer widget's DOM shows st; fails with what it shows.
async function trainerShows(f, st, { moving = false, timeout = 20000 } = {}) {
  const want = trainerShould(st);
  if (moving) delete want.step;
  await trainerView(f);
  await f.waitForFunction((w) => {
    const v = window.__trainerView();
    return v !== null && Object.keys(w).every((k) => v[k] === w[k]);
  }, want, { timeout, polling: 100 }).catch(() => {}); // the assertion below says what it shows
  const seen = await trainerView(f);
  if (moving) delete seen.step;
  assert.deepEqual(seen, want, `the trainer widget shows the kitchen's ${st.state} at dish ${st.step}`);
}

// The ID of the widget whose frame hosts the kitchen (fallback: with a SharedWorker, none does).
async function hostId(page, fallback) {
  for (const f of widgetFrames(page)) if (await f.evaluate(() => document.documentElement.dataset.kitchen === 'host')) return new URL(f.url()).searchParams.get('w');
  return fallback;
}
// Takes a widget out of the post, as a writer editing the page would.
const removeWidget = (page, id) => page.evaluate((w) => {
  const f = [...document.querySelectorAll('iframe')].find((x) => new URL(x.src).searchParams.get('w') === w);
  (f.closest('[data-mings-kitchen]') ?? f).remove();
}, id);

// Each iframe is as tall as its content: no inner scrollbar, nothing clipped.
// Content that is still growing (a dish being cooked) gets a moment to settle.
async function heightsMatch(page) {
  for (let tries = 0; ; tries++) {
    try { return await heightsMatchNow(page); } catch (err) {
      if (tries > 30) throw err;
      await page.waitForTimeout(100);
    }
  }
}
async function heightsMatchNow(page) {
  for (const el of await page.$$('iframe')) {
    const frame = await el.contentFrame();
    const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const inner = await frame.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.clientHeight]);
    const box = await el.evaluate((f) => f.getBoundingClientRect().height);
    const id = new URL(frame.url()).searchParams.get('w');
    if (id === 'scale' && !(await el.evaluate((f) => f.closest('[data-mings-kitchen]')))) {
      assert.ok(inner[0] <= inner[1] + 1, 'the plain iframe with the README height shows everything');
      continue;
    }
    assert.ok(Math.abs(box - content) <= 2, `${id}: frame ${box}px (${await el.evaluate((f) => f.style.height)}), content ${content}px, reported ${await frame.evaluate(() => document.documentElement.dataset.reportedHeight)}`);
    assert.ok(inner[0] <= inner[1] + 1, `${id}: no inner scroll (${inner})`);
  }
}

for (const [label, extraArgs, mode] of [
  ['default settings (third-party frames: no SharedWorker)', [], /^(host|guest)$/],
  ['third-party cookies allowed (SharedWorker)', ['--disable-features=TrackingProtection3pcd'], /^shared$/],
]) {
  test(`blog post, ${label}: widgets render, size themselves and share one kitchen`, async () => {
    const browser = await openBrowser({ extraArgs });
    try {
      for (const width of [1280, 360]) {
        const page = await openPost(browser, width);
        await heightsMatch(page);
        const modes = await Promise.all(widgetFrames(page).filter((f) => new URL(f.url()).searchParams.get('w') !== 'nope')
          .map((f) => f.evaluate(() => document.documentElement.dataset.kitchen)));
        for (const m of modes) assert.match(m, mode);
        if (mode.source.includes('host')) assert.equal(modes.filter((m) => m === 'host').length, 1, `one host: ${modes}`);
        assert.deepEqual(page.problems.console, [], 'no console errors');
        assert.deepEqual(page.problems.errors, []);
        assert.deepEqual(foreignRequests(page, site.origin, blog.origin), []);
        // the widgets (frames and their workers) ask their own origin only
        assert.deepEqual(foreignFrameRequests(page, site.origin), []);
        assert.ok(page.problems.framedRequests.some((u) => u.endsWith('/embed.html?w=line&name=emm')), 'widget requests are seen');
        if (width === 1280) await framedShot(page, `blog-post-${mode.source.includes('shared') ? 'shared' : 'frames'}-1280.png`);
        if (width === 360) { await page.close(); continue; }

        // Train in the trainer widget changes what the service widget cooks.
        const trainer = frameOf(page, 'trainer'), service = frameOf(page, 'service');
        const share = () => service.getAttribute('[data-invented-share]', 'data-invented-share');
        await (await page.$('iframe[src*="w=service"]')).scrollIntoViewIfNeeded();
        await service.waitForFunction(() => document.querySelector('[data-invented-share]').dataset.inventedShare !== '', null, { polling: 100 });
        const before = await share();
        await (await page.$('iframe[src*="w=trainer"]')).scrollIntoViewIfNeeded();
        await trainer.fill('#trainer input[inputmode=numeric]', '7'); // another seed: another Ming
        await trainer.$eval('input[name=pace][value=instant]', (e) => e.click()); // the kitchen's pace, for every widget (watch: pace-scrub.test.mjs)
        await press(trainer, 'train');
        await trainer.waitForFunction(() => /^1,000 \/ 1,000/.test(document.querySelector('[data-counter=step]').textContent), null, { timeout: 10000, polling: 100 });
        // browsers pause rendering in off-screen frames: look at the service widget, as a reader would
        await (await page.$('iframe[src*="w=service"]')).scrollIntoViewIfNeeded();
        await kitchenReaches(service, { state: 'done', stepAtLeast: 1000 });
        const trained = await kitchenShare(service);
        assert.notEqual(trained, before, 'another Ming, another share');
        await service.waitForFunction((t) => document.querySelector('[data-invented-share]').dataset.inventedShare === t, trained, { timeout: 10000, polling: 100 });

        // Remove the widget that hosts the kitchen (or any, with a SharedWorker): the others keep working.
        const victimId = await hostId(page, 'trainer');
        await removeWidget(page, victimId);
        const other = victimId === 'service' ? frameOf(page, 'line') : service;
        if (mode.source.includes('host')) {
          // the guests notice, elect a new host among themselves and replay the run
          // (a second connection at least: one more should two guests be elected at once and one step
          // down, as kitchen-health.test.mjs allows)
          await other.waitForFunction(() => Number(document.documentElement.dataset.connections) >= 2, null, { timeout: 30000, polling: 100 });
          await other.waitForFunction(() => !document.querySelector('[data-error]'), null, { timeout: 10000, polling: 100 });
        }
        if (other === service) {
          await (await page.$('iframe[src*="w=service"]')).scrollIntoViewIfNeeded();
          // the kitchen that took over replayed the reader's run (seed 7, 1,000 dishes): same Ming
          await kitchenReaches(service, { state: 'done', stepAtLeast: 1000 });
          assert.equal(await kitchenShare(service), trained, 'no training was lost');
          await service.waitForFunction((t) => document.querySelector('[data-invented-share]').dataset.inventedShare === t, trained, { timeout: 10000, polling: 100 });
          await press(service, 'cook');
          await service.waitForFunction(() => document.querySelector('[data-solo-done]'), null, { timeout: 10000, polling: 100 });
          assert.equal(await service.$('[data-error]'), null, 'no error after the host left');
          const dish = await service.textContent('[data-solo-name]');
          assert.ok(dish.length > 0);
        }
        const line = frameOf(page, 'line');
        await line.fill('#line-prefix', 'ann');
        await line.waitForFunction(() => document.querySelectorAll('[data-head="0"] [data-weight]').length === 4, null, { timeout: 10000, polling: 100 });
        assert.deepEqual(page.problems.console, []);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
}

test('default settings: an off-screen widget shows the kitchen\'s state, buttons and dish at once, without being scrolled to', async () => {
  const browser = await openBrowser();
  try {
    const page = await openPost(browser, 1280);
    const trainer = frameOf(page, 'trainer'), scorecard = frameOf(page, 'scorecard');
    // the trainer is at the top of the post, the reader at its end
    await (await page.$('iframe[src*="w=scorecard"]')).scrollIntoViewIfNeeded();
    const box = await page.$eval('iframe[src*="w=trainer"]', (f) => f.getBoundingClientRect().toJSON());
    assert.ok(box.bottom < 0, `the trainer widget is off screen (${box.top}..${box.bottom})`);

    // another widget starts a run of 20,000 dishes, pauses it, resumes it, stops it
    await ask(scorecard, 'reset', { seed: 42, steps: 20000 });
    await trainerShows(trainer, await kitchenReaches(scorecard, { state: 'idle' }));
    await ask(scorecard, 'start', { steps: 20000 });
    await trainerShows(trainer, await kitchenReaches(scorecard, { state: 'training', stepAtLeast: 100 }), { moving: true });
    await ask(scorecard, 'pause');
    const paused = await kitchenReaches(scorecard, { state: 'paused' });
    assert.ok(paused.step > 0 && paused.step < 20000, `paused at dish ${paused.step}`);
    await trainerShows(trainer, paused);
    await ask(scorecard, 'resume');
    await kitchenReaches(scorecard, { state: 'training', stepAtLeast: paused.step + 100 });
    await ask(scorecard, 'stop');
    const stopped = await kitchenReaches(scorecard, { state: 'stopped' });
    assert.ok(stopped.step < 20000, `stopped at dish ${stopped.step}`);
    await trainerShows(trainer, stopped);
    // and a run that goes to its end
    await ask(scorecard, 'reset', { seed: 42, steps: 1000 });
    await ask(scorecard, 'start', { steps: 1000 });
    const done = await kitchenReaches(scorecard, { state: 'done', stepAtLeast: 1000 });
    await trainerShows(trainer, done);
    // still off screen (the widgets above the reader may change height; the reader stays at the scorecard)
    const end = await page.$eval('iframe[src*="w=trainer"]', (f) => f.getBoundingClientRect().toJSON());
    assert.ok(end.bottom < 0, `the trainer widget was never scrolled to (${end.top}..${end.bottom})`);
    assert.deepEqual(page.problems.console, []);
  } finally {
    await browser.close();
  }
});

test('default settings: the frame hosting the kitchen removed mid-run or paused, the kitchen that takes over goes on from the same dish', async () => {
  const browser = await openBrowser();
  const status = (f) => f.evaluate(() => globalThis.mingsKitchenRequest('status'));
  // Trains 20,000 dishes in the trainer widget, pauses there if asked, and
  // removes the widget hosting the kitchen; returns a widget left and the step.
  async function removeHost(page, { pause }) {
    const trainer = frameOf(page, 'trainer');
    await ask(trainer, 'setPace', { pace: 'instant' }); // the run at full speed (the kitchen taking over keeps the pace)
    await trainer.selectOption('#trainer select', '20000');
    await press(trainer, 'train');
    const line = frameOf(page, 'line');
    await kitchenReaches(line, { state: 'training', stepAtLeast: 1000 });
    if (pause) await trainer.evaluate(() => globalThis.mingsKitchenRequest('pause'));
    const victimId = await hostId(page);
    const at = (await status(line)).step;
    assert.ok(at > 0 && at < 20000, `removed at dish ${at}`);
    // the news of the pause has reached every widget (each replays to the dish it knows)
    if (pause) {
      for (const f of widgetFrames(page).filter((x) => idOf(x) !== 'nope')) {
        await f.waitForFunction((n) => document.documentElement.dataset.state === 'paused' && document.documentElement.dataset.step === String(n),
          at, { timeout: 10000, polling: 100 });
      }
    }
    await removeWidget(page, victimId);
    // a widget out of view (its page draws nothing there, so it has no frames to apply news in)
    return { other: frameOf(page, victimId === 'service' ? 'scorecard' : 'service'), at };
  }
  const settled = (page, other, want) => kitchenReaches(other, { state: want });
  try {
    let page = await openPost(browser, 1280);
    let { other, at } = await removeHost(page, { pause: true });
    let st = await settled(page, other, 'paused');
    // the off-screen widget shows it too
    for (const f of widgetFrames(page).filter((x) => idOf(x) !== 'nope')) {
      await f.waitForFunction((n) => document.documentElement.dataset.state === 'paused' && document.documentElement.dataset.step === String(n),
        at, { timeout: 10000, polling: 100 });
    }
    assert.deepEqual([st?.state, st?.step], ['paused', at], 'the new kitchen replayed the run to the dish it was paused at');
    assert.deepEqual(page.problems.console, []);
    await page.close();

    page = await openPost(browser, 1280);
    ({ other } = await removeHost(page, { pause: false }));
    st = await settled(page, other, 'done');
    assert.deepEqual([st?.state, st?.step], ['done', 20000], 'the run went on to its end');
    assert.equal((await other.evaluate(() => globalThis.mingsKitchenRequest('losses'))).length, 20000);
    assert.deepEqual(page.problems.console, []);
  } finally {
    await browser.close();
  }
});

test('no SharedWorker (as in Chrome for Android), Web Locks allowed: each tab of the post shares one kitchen among its widgets', async () => {
  const browser = await openBrowser({ extraArgs: ['--disable-features=TrackingProtection3pcd'] });
  // this browser has SharedWorker: take it away, so the frames share through Web Locks and each other
  await browser.context.addInitScript(() => { delete globalThis.SharedWorker; });
  const modes = async (page, n = 5) => {
    const deadline = Date.now() + 10000;
    for (;;) {
      const m = await Promise.all(widgetFrames(page).filter((f) => new URL(f.url()).searchParams.get('w') !== 'nope')
        .map((f) => f.evaluate(() => document.documentElement.dataset.kitchen ?? '')));
      const settled = m.length === n && m.every((x) => x) && m.filter((x) => x === 'host').length === 1;
      if (settled || Date.now() > deadline) return m.sort();
      await page.waitForTimeout(100);
    }
  };
  try {
    const first = await openPost(browser, 1280);
    assert.deepEqual(await modes(first), ['guest', 'guest', 'guest', 'guest', 'host']);
    // the lock is the origin's, held by the first tab: the second tab elects a host of its own
    const second = await openPost(browser, 1280);
    assert.deepEqual(await modes(second), ['guest', 'guest', 'guest', 'guest', 'host']);
    assert.deepEqual([...first.problems.console, ...second.problems.console], []);
    // the first tab closes, so the lock is free; a widget added to the second
    // takes it and hosts, and then steps down for the host already there
    await first.close();
    await second.evaluate(() => {
      const div = document.createElement('div');
      div.dataset.mingsKitchen = 'courses';
      document.body.appendChild(div);
      window.MingsKitchen.scan();
    });
    await (await second.$('iframe[src*="w=courses"]')).scrollIntoViewIfNeeded();
    assert.deepEqual(await modes(second, 6), ['guest', 'guest', 'guest', 'guest', 'guest', 'host']);
    const courses = frameOf(second, 'courses');
    await courses.waitForSelector('[data-view="courses"]', { timeout: 10000 });
    assert.deepEqual(second.problems.console, []);
  } finally {
    await browser.close();
  }
});

// A widget added to the post as a writer would (embed.js scans for it), found by its one option `t`.
async function addWidget(page, id, data) {
  await page.evaluate(([w, d]) => {
    const div = document.createElement('div');
    div.dataset.mingsKitchen = w;
    Object.assign(div.dataset, d);
    document.body.appendChild(div);
    window.MingsKitchen.scan();
  }, [id, data]);
  const el = await page.waitForSelector(`[data-mings-kitchen="${id}"][data-t="${data.t}"] iframe`);
  await el.scrollIntoViewIfNeeded();
  const f = await el.contentFrame();
  await f.waitForFunction(() => document.documentElement.dataset.phase === 'ready', null, { timeout: 30000, polling: 100 });
  return f;
}
// the timeline moved as a drag moves it: the input event of the range
const scrubTo = (f, dish) => f.$eval('#timeline', (el, d) => { el.value = String(d); el.dispatchEvent(new Event('input', { bubbles: true })); }, dish);
const background = (f) => f.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
const TRANSPARENT = 'rgba(0, 0, 0, 0)';

test('in a post: watch pace and the scrubber in the trainer widget move every widget; a trainer joining a kitchen that cooked says so; bg=transparent', async () => {
  const browser = await openBrowser();
  try {
    const page = await openPost(browser, 1280);
    const trainer = frameOf(page, 'trainer'), line = frameOf(page, 'line'), scorecard = frameOf(page, 'scorecard');
    await (await page.$('iframe[src*="w=trainer"]')).scrollIntoViewIfNeeded();
    assert.equal(await trainer.getAttribute('input[name=pace]:checked', 'value'), 'watch', 'the default pace');
    // 20,000 dishes (over two minutes at the watch pace): the run is still
    // cooking when Finish is pressed, however slowly a loaded machine answers
    // (the post's other widgets had the kitchen cook its 1,000: Train starts over)
    await trainer.getByLabel('Dishes (steps)').selectOption('20000');
    await press(trainer, 'train');
    // at watch pace the run goes on while the reader scrubs back
    assert.equal((await kitchenReaches(line, { state: 'training', stepAtLeast: 300 })).numSteps, 20000);
    await trainer.waitForFunction(() => !document.querySelector('#timeline').disabled && Number(document.querySelector('#timeline').max) >= 300, null, { timeout: 20000, polling: 100 });
    await scrubTo(trainer, 200);
    for (const f of [line, scorecard, trainer]) {
      // every widget follows: its page's view, its banner, and its kitchen reads answer for dish 200
      await f.waitForFunction(() => document.documentElement.dataset.view === '200', null, { timeout: 20000, polling: 100 });
      if (f !== trainer) assert.equal(await f.getAttribute('[data-view-banner]', 'data-view'), '200', `${idOf(f)}: the view banner`);
      assert.equal((await ask(f, 'snapshot')).step, 200, `${idOf(f)} reads dish 200`);
    }
    const st = await ask(line, 'status');
    assert.ok(st.step > 200 && st.view === 200, `the run went on (${st.state} at ${st.step}) while dish 200 is shown`);
    // back to the latest from another widget's banner
    await (await page.$('iframe[src*="w=line"]')).scrollIntoViewIfNeeded();
    await press(line, 'banner-back');
    for (const f of [line, scorecard, trainer]) await f.waitForFunction(() => document.documentElement.dataset.view === '', null, { timeout: 20000, polling: 100 });
    assert.equal(await line.$('[data-view-banner]'), null);
    await (await page.$('iframe[src*="w=trainer"]')).scrollIntoViewIfNeeded();
    await press(trainer, 'finish');
    const done = await kitchenReaches(line, { state: 'done', stepAtLeast: 20000 }, 60000);

    // a second trainer added to the post: the kitchen cooked already, and it says so
    const late = await addWidget(page, 'trainer', { t: '0.6', bg: 'transparent' });
    await late.waitForSelector('[data-joined=done]', { timeout: 20000 });
    assert.equal(await late.textContent('[data-joined]'), 'Ming has already cooked 20,000 dishes for this post. Train again starts a new run.');
    await trainerShows(late, done);
    assert.deepEqual(await background(late), [TRANSPARENT, TRANSPARENT], 'bg=transparent: no box');
    assert.notEqual((await background(trainer))[1], TRANSPARENT, 'the default: paper');
    // a paused run: Resume
    await ask(scorecard, 'reset', { seed: 42, steps: 1000 });
    await ask(scorecard, 'step');
    const paused = await kitchenReaches(scorecard, { state: 'paused', stepAtLeast: 1 });
    assert.equal(await late.$('[data-joined]'), null, 'the note goes once the run is not the one it found');
    const later = await addWidget(page, 'trainer', { t: '0.7' });
    await later.waitForSelector('[data-joined=paused]', { timeout: 20000 });
    assert.equal(await later.textContent('[data-joined]'), 'Ming has already cooked 1 of 1,000 dishes for this post. Resume goes on from there; Reset starts over.');
    await trainerShows(later, paused);
    await press(later, 'train'); // Resume
    await kitchenReaches(scorecard, { state: ['training', 'done'], stepAtLeast: 2 });
    await later.waitForFunction(() => !document.querySelector('[data-joined]'), null, { timeout: 20000, polling: 100 });
    assert.deepEqual(page.problems.console, []);
    assert.deepEqual(page.problems.errors, []);
  } finally {
    await browser.close();
  }
});

test('bad options show their note; an unknown ID lists the views; forged height messages are ignored', async () => {
  const browser = await openBrowser();
  try {
    const page = await openPost(browser, 1280);
    const scorecard = frameOf(page, 'scorecard');
    const notes = await scorecard.textContent('[data-notes]');
    assert.match(notes, /t=hot is not accepted: a temperature from 0\.1 to 1\.5\. Using 0\.5\./);
    // judged by the live model (Karpathy's records: a-z), naming the characters they have
    assert.match(notes, /name="Emma!" is not accepted: "E" is not one of Ming's 26 courses \(the characters of his records\): use a–z\. Using the view’s own example\./);
    assert.ok(await scorecard.$('[data-score-row]'), 'the widget goes on with the default');
    const nope = frameOf(page, 'nope');
    await nope.waitForSelector('[data-unknown-widget]');
    const listed = await nope.$$eval('[data-unknown-widget] code', (c) => c.map((e) => e.textContent));
    assert.deepEqual(listed, ['records', 'courses', 'line', 'scorecard', 'trace', 'sensei', 'service', 'scale', 'dials', 'trainer']);

    const heights = () => page.$$eval('iframe', (fs) => fs.map((f) => f.getBoundingClientRect().height));
    // settled first, so no widget's own news moves a frame during the checks
    let before = await heights();
    for (let same = 0; same < 3;) {
      await page.waitForTimeout(150);
      const now = await heights();
      same = JSON.stringify(now) === JSON.stringify(before) ? same + 1 : 0;
      before = now;
    }
    // from the blog's own origin, and from a frame of that origin
    await page.evaluate(() => {
      window.postMessage({ type: 'mings-kitchen:height', height: 7 }, '*');
      const f = document.createElement('iframe');
      f.srcdoc = '<p>x</p>';
      document.body.appendChild(f);
      f.contentWindow.parent.postMessage({ type: 'mings-kitchen:height', height: 9 }, '*');
    });
    // from a frame of the widget's origin that embed.js did not make (the plain iframe)
    await (await (await page.$('#plain')).contentFrame()).evaluate(() =>
      window.parent.postMessage({ type: 'mings-kitchen:height', height: 13 }, '*'));
    // a widget's own message, sent after the forged ones, sizes its own frame
    // and no other: once it is applied, the forged ones have been heard too
    await frameOf(page, 'line').evaluate(() => window.parent.postMessage({ type: 'mings-kitchen:height', height: 11 }, '*'));
    const lineIndex = await page.$$eval('iframe', (fs) => fs.findIndex((f) => f.src.includes('w=line')));
    await page.waitForFunction((i) => document.querySelectorAll('iframe')[i].getBoundingClientRect().height === 11, lineIndex);
    const after = (await heights()).slice(0, before.length);
    assert.ok(!after.includes(7) && !after.includes(9) && !after.includes(13), `no frame was resized by a forged message: ${after}`);
    after.forEach((h, i) => { if (i !== lineIndex) assert.equal(h, before[i]); });
    await page.close();
  } finally {
    await browser.close();
  }
});

test('the plain-iframe heights (options.js WIDGETS; README\'s table agrees: tests/web/readme-heights.test.mjs) show every widget whole in their columns and leave at most 120 px blank at 700 px', async () => {
  const { WIDGETS, PLAIN_BLANK_MAX } = await import(pathToFileURL(path.join(root, 'web/src/embed/options.js')));
  const browser = await openBrowser();
  try {
    for (const [id, { plain }] of Object.entries(WIDGETS)) {
      // each height at both ends of its columns (the last: up to 700 px)
      const checks = plain.flatMap(([from, height], i) => [[from, height], [(plain[i + 1]?.[0] ?? 701) - 1, height]]);
      for (const [width, height] of checks) {
        const page = await browser.newPage({ width, height: 800 });
        await page.goto(`${site.url}embed.html?w=${id}`);
        await page.waitForSelector('[data-view] .caption, [data-view] canvas, .trainer li[data-mark]', { timeout: 15000 });
        // the view complete: its kitchen open and no placeholder left
        await page.waitForFunction(() => document.documentElement.dataset.phase === 'ready'
          && ![...document.querySelectorAll('p, span, b, li')].some((e) => /^(Opening the (kitchen|view)…|Counting…|…)$/.test(e.textContent.trim())),
        null, { timeout: 15000, polling: 100 });
        // ... and its layout settled (the live data of the view drawn): the same height 5 looks in a row
        await page.waitForFunction(() => {
          const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
          const w = (window.__settle ??= { h: -1, same: 0 });
          w.same = h === w.h ? w.same + 1 : 0;
          w.h = h;
          return w.same >= 5;
        }, null, { timeout: 15000, polling: 100 });
        const content = await page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        assert.ok(content <= height, `${id} at ${width} px: content ${content} px, plain iframe ${height} px`);
        if (width === 700) assert.ok(height - content <= PLAIN_BLANK_MAX, `${id} at 700 px: ${height - content} px blank (content ${content})`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
});

test('the site sends its Content-Security-Policy with the pages and the worker scripts, the same as the pages\' own', async () => {
  const { CSP } = await import(pathToFileURL(path.join(root, 'web/serve.mjs')));
  for (const f of ['index.html', 'embed.html']) {
    const meta = readFileSync(path.join(root, 'web', f), 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
    assert.equal(meta, CSP, `${f}'s own policy`);
  }
  for (const u of ['embed.html?w=line', 'assets/worker.js', 'assets/shared-worker.js']) {
    const res = await fetch(new URL(u, site.url));
    assert.equal(res.headers.get('content-security-policy'), CSP, u);
  }
});

test('name= for any records: the model of the kitchen a widget joins judges it; a bad one names the characters his records have', async () => {
  const browser = await openBrowser();
  const OWN = ['Emma', 'Zoë', 'Mary Ann', '王小明', 'Ève', 'Ann 99'].join('\n');
  const widget = async (query) => {
    const page = await browser.newPage({ width: 700, height: 1400 });
    await page.goto(`${site.url}embed.html?${query}`);
    await page.waitForFunction(() => document.documentElement.dataset.phase === 'ready', null, { timeout: 30000, polling: 100 });
    return page;
  };
  try {
    // the post's kitchen, with records of capitals, spaces and CJK at block 24 (names of up to 23 courses)
    const host = await widget('w=trainer&pace=instant');
    const info = await ask(host, 'init', { text: OWN, seed: 42, steps: 1000, config: { nEmbd: 16, nHead: 4, nLayer: 1, blockSize: 24 } });
    assert.equal(info.config.blockSize, 24);
    // a name beyond a-z and 15 courses (17 courses), which these records take
    const name = 'Zoë Mary Ann Emma';
    const good = await widget(`w=scorecard&name=${encodeURIComponent(name)}`);
    assert.equal((await ask(good, 'info')).vocab.length, info.vocab.length, 'the widget joined the post\'s kitchen');
    await good.waitForFunction((n) => document.querySelector('[data-scored-name]')?.dataset.scoredName === n, name, { timeout: 30000, polling: 100 });
    assert.equal(await good.$('[data-notes]'), null, 'no note: the name is one Ming can take');
    // a character the records lack: the note names the ones they have
    const bad = await widget('w=scorecard&name=Emmx');
    await bad.waitForSelector('[data-notes]', { timeout: 30000 });
    const note = await bad.textContent('[data-notes]');
    const V = new Set(OWN.replace(/\n/g, '')).size;
    assert.match(note, new RegExp(`^name="Emmx" is not accepted: "x" is not one of Ming's ${V} courses \\(the characters of his records\\): use .*王.*\\. Using the view’s own example\\.$`));
    assert.notEqual(await bad.getAttribute('[data-scored-name]', 'data-scored-name'), 'Emmx', 'the view shows its own example');
    for (const p of [host, good, bad]) {
      assert.deepEqual(p.problems.console, [], 'no console errors');
      assert.deepEqual(p.problems.errors, [], 'no page errors');
    }
  } finally {
    await browser.close();
  }
});
