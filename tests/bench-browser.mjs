// bench-browser.mjs - the browser figures of `make bench`, in headless Chromium.
import { gzipSync } from 'node:zlib';
import { serveSite } from './helpers/server.mjs';
import { openBrowser } from './helpers/browser.mjs';
import { ask, inView, kitchenAt, opened, rendered, shows, untilAsync, viewsCurrent } from './helpers/wait.mjs';

// every view on screen (views off screen rest until scrolled to), and a normal window
const TALL = { width: 1280, height: 16000 }, WINDOW = { width: 1280, height: 900 };
const WATCH_RATE = 150; // dishes a second at watch pace (PACES in web/src/kitchen/run.js, PROTOCOL.md)
const SCRUB_RUN = 20000, MOVES = 50;

/** The kitchen of a page just opened at `pace`, at step 0 of a fresh run: a
 * page may join the kitchen (a SharedWorker) of one closed a moment ago. */
async function freshKitchen(page, pace) {
  const st = await ask(page, 'status');
  if (st.pace !== pace) await ask(page, 'setPace', { pace });
  if (st.step !== 0 || st.state !== 'idle') { await ask(page, 'reset', {}); await kitchenAt(page, { state: 'idle', step: 0 }); }
}

// Longest main-thread task and longest gap between animation frames, from
// before the click until stop() is called.
const OBSERVE = () => {
  window.__long = 0; window.__gap = 0; window.__stop = false; window.__count = 0;
  const note = (entries) => { for (const e of entries) { window.__long = Math.max(window.__long, e.duration); window.__count++; } };
  const po = new PerformanceObserver((l) => note(l.getEntries()));
  po.observe({ type: 'longtask', buffered: false });
  // the entries not delivered yet, read at once when the measure stops
  window.__pending = () => note(po.takeRecords());
  let last = performance.now();
  const tick = (t) => { window.__gap = Math.max(window.__gap, t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
};

async function trainTime(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('li[data-mark]');
  await opened(page); // every view loaded and answered: the page is at rest
  await freshKitchen(page, 'instant');
  await page.evaluate(OBSERVE);
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const btn = document.querySelector('[data-action=train]');
    const counter = document.querySelector('[data-counter=step]');
    const t0 = performance.now();
    const mo = new MutationObserver(() => {
      if (/^1,000 \/ 1,000/.test(counter.textContent)) { mo.disconnect(); resolve(performance.now() - t0); }
    });
    mo.observe(counter, { childList: true, subtree: true, characterData: true });
    btn.click();
  }));
  await shows(page, 'canvas.loss-chart', '1000', { attr: 'data-points' }); // the whole curve drawn
  const { long, gap } = await page.evaluate(() => { window.__stop = true; window.__pending(); return { long: window.__long, gap: window.__gap }; });
  const points = await page.$eval('canvas.loss-chart', (c) => Number(c.dataset.points));
  return { page, ms, long, gap, points };
}

async function sliderLatency(page) {
  const times = [];
  for (const t of [0.1, 1.5, 0.3, 1.2, 0.7, 0.45]) {
    times.push(await page.evaluate((v) => new Promise((resolve) => {
      const list = document.querySelector('ol.names');
      const before = list.textContent;
      const slider = document.getElementById('temperature');
      const mo = new MutationObserver(() => { if (list.textContent !== before) { mo.disconnect(); resolve(performance.now() - t0); } });
      mo.observe(list, { childList: true, subtree: true, characterData: true });
      const t0 = performance.now();
      slider.value = String(v);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }), t));
  }
  return times;
}

// Watch pace with the page on screen: the kitchen's dishes per second over a
// few seconds (from its status: steps cooked over its cooking clock, and over
// the page's wall clock), and the longest main-thread task of the whole run.
async function watchRun(browser, url) {
  const page = await browser.newPage(WINDOW);
  await page.goto(url);
  await page.waitForSelector('li[data-mark]');
  await opened(page);
  await freshKitchen(page, 'watch');
  await page.evaluate(OBSERVE);
  await page.$eval('[data-action=train]', (b) => b.click());
  const at = (min) => untilAsync(page, async (m) => {
    const s = await globalThis.mingsKitchenRequest('status');
    return s.step >= m ? { ...s, wall: performance.now() } : null;
  }, min, `dish ${min}`);
  const a = await at(100); // past the first chunk and the first event
  const b = await at(a.step + 3 * WATCH_RATE); // about three seconds later
  const done = await kitchenAt(page, { state: 'done' }, { timeout: 60000 });
  await shows(page, 'canvas.loss-chart', String(done.step), { attr: 'data-points' });
  const { long, count } = await page.evaluate(() => { window.__stop = true; window.__pending(); return { long: window.__long, count: window.__count }; });
  await page.close();
  return {
    rate: (1000 * (b.step - a.step)) / (b.elapsedMs - a.elapsedMs),
    wallRate: (1000 * (b.step - a.step)) / (b.wall - a.wall),
    stepsPerSec: b.stepsPerSec, secs: (b.wall - a.wall) / 1000, long, count,
  };
}

// In the page: whether every view on screen that tells its dish shows dish n
// (the hooks of web/src/views; see also viewsCurrent in helpers/wait.mjs).
// The trainer's dish and the view banner must be in the page; each hook
// counts where it is drawn and on screen. Returns the hooks seen, or null.
const DISH_HOOKS = () => {
  const onScreen = (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; };
  const hooks = [ // [selector, is it at dish n, must be there]
    ['[data-timeline-dish]', (e, n, f) => e.textContent === `dish ${f}`, true],
    ['[data-view-banner][data-view]', (e, n) => e.dataset.view === String(n), true],
    ['canvas.loss-chart', (e, n) => e.dataset.view === String(n), false],
    ['canvas.sensei-history[data-last]', (e, n) => e.dataset.last === String(n), false],
    ['[data-sensei-step]', (e, n, f) => e.textContent === f, false],
    ['[data-dials-step]', (e, n, f) => e.textContent === f, false],
    ['[data-trace-step]', (e, n, f) => e.textContent === f, false],
    ['[data-step]', (e, n) => e.dataset.step === String(n), false],
    // every view's own word (web/src/views): the dish its data is of, set
    // once that data is drawn (on a canvas: after the draw)
    ['[data-shows-dish]', (e, n) => e.dataset.showsDish === String(n), false],
  ];
  window.__atDish = (n) => {
    const f = n.toLocaleString('en-US'), seen = [];
    for (const [sel, ok, must] of hooks) {
      const all = [...document.querySelectorAll(sel)], els = all.filter(onScreen);
      if (must && !all.length) return null;
      if (!els.length) continue;
      if (!els.every((e) => ok(e, n, f))) return null;
      seen.push(els.length > 1 ? `${sel} (${els.length})` : sel);
    }
    return seen;
  };
  // the time from the timeline's input event to the first animation frame
  // with every view at dish n (what the reader sees: a change shows at a
  // frame). Looked at once a frame: a look at every change to the page (a
  // MutationObserver) forced a layout of the whole page each time, slowing
  // what it measured (most of the main thread's time, with every view on screen)
  window.__scrubTo = (n) => new Promise((resolve, reject) => {
    const el = document.getElementById('timeline');
    let over = false;
    const frame = () => {
      if (over) return;
      const seen = window.__atDish(n);
      if (seen) { over = true; resolve({ ms: performance.now() - t0, seen }); } else requestAnimationFrame(frame);
    };
    const t0 = performance.now();
    el.value = String(n);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    requestAnimationFrame(frame);
    // a safety net, not a measure
    setTimeout(() => { if (!over) { over = true; reject(new Error(`the views never all showed dish ${n}`)); } }, 30000);
  });
};

/** A 20,000-dish run cooked at instant pace in a page of `viewport`, the
 * views on screen loaded and current (look: the element scrolled to, or the
 * top), ready to scrub. */
async function scrubPage(browser, url, viewport, look) {
  const page = await browser.newPage(viewport);
  await page.goto(url);
  await page.waitForSelector('li[data-mark]');
  await opened(page);
  await freshKitchen(page, 'instant');
  await page.selectOption('#trainer select', String(SCRUB_RUN));
  await shows(page, '[data-counter=step]', /^0 \/ 20,000/);
  await page.$eval('[data-action=train]', (b) => b.click());
  await kitchenAt(page, { state: 'done', step: SCRUB_RUN }, { timeout: 120000 });
  if (look) {
    await page.$eval(look, (e) => e.scrollIntoView());
    await inView(page, [look]);
  }
  await viewsCurrent(page, look ?? (viewport === TALL ? 'body' : '#trainer')); // the views off screen rest
  await page.evaluate(DISH_HOOKS);
  return page;
}

// MOVES moves of the timeline to random dishes (a fixed sequence: the same
// dishes every run), each timed to every view on screen at that dish.
async function scrubLatency(page) {
  const { earliest } = await ask(page, 'status');
  let seed = 12345; // a small LCG: the same moves each run
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const times = [];
  let seen = [];
  let last = -1;
  for (let i = 0; i < MOVES; i++) {
    let n;
    do n = earliest + Math.floor(rand() * (SCRUB_RUN - earliest)); while (n === last); // never the latest dish: a view
    last = n;
    const r = await page.evaluate((d) => window.__scrubTo(d), n);
    times.push(r.ms);
    if (r.seen.length > seen.length) seen = r.seen;
  }
  return { times, seen };
}

// A drag of the timeline's thumb across the run with the mouse, then the
// keyboard (arrows and Page Up/Down), until the views catch up: the longest
// main-thread task meanwhile. With the timeline off screen (the reader at
// chapter 6), the same sweep as input events, one an animation frame.
async function scrubDrag(page) {
  const box = await page.locator('#timeline').boundingBox();
  const onScreen = await page.evaluate(({ y, h }) => y >= 0 && y + h <= innerHeight, { y: box.y, h: box.height });
  await page.evaluate(OBSERVE);
  if (onScreen) {
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.02, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.97, y, { steps: 150 });
    await page.mouse.move(box.x + box.width * 0.3, y, { steps: 100 });
    await page.mouse.up();
    await page.focus('#timeline');
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageUp');
  } else {
    await page.evaluate((run) => new Promise((resolve) => {
      const el = document.getElementById('timeline');
      const path = [...Array(150)].map((_, i) => 0.02 + (0.95 * i) / 149).concat([...Array(100)].map((_, i) => 0.97 - (0.67 * i) / 99));
      let i = 0;
      const frame = () => {
        if (i === path.length) { resolve(); return; }
        el.value = String(Math.round(path[i++] * run));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }), SCRUB_RUN);
  }
  const end = Number(await page.$eval('#timeline', (e) => e.value));
  await untilAsync(page, (n) => window.__atDish(n), end, `every view at dish ${end} after the drag`);
  return page.evaluate(() => { window.__stop = true; window.__pending(); return { long: window.__long, gap: window.__gap, count: window.__count }; });
}

// Layout shift while the page loads (no input), from the navigation until
// every view has loaded and answered and two more frames are drawn.
async function layoutShift(browser, url, viewport) {
  const page = await browser.newPage(viewport);
  await page.addInitScript(() => {
    window.__cls = 0;
    const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; });
    po.observe({ type: 'layout-shift', buffered: true });
    window.__clsNow = () => { for (const e of po.takeRecords()) if (!e.hadRecentInput) window.__cls += e.value; return window.__cls; };
  });
  await page.goto(url);
  await page.waitForSelector('li[data-mark]');
  await opened(page);
  await rendered(page, 3);
  const cls = await page.evaluate(() => window.__clsNow());
  await page.close();
  return cls;
}

// The first page's weight before issue 14's features (setup, compare, file, link, proof), as
// pageWeight measured it then: the goal is this within 5 KB.
const FIRST_PAGE_BEFORE_14 = 112.2;
const atMost = (x) => Object.assign((v) => v <= x, { label: `<= ${x.toLocaleString('en-US', { maximumFractionDigits: 1 })}` });

// The page's weight at 1280 x 900 (openBrowser's window), once every view has loaded and answered.
async function pageWeight(browser, url, exclude = /names\.txt$/) {
  const page = await browser.newPage();
  const urls = new Set();
  page.on('response', (r) => { if (r.status() === 200) urls.add(r.url()); });
  await page.goto(url);
  await page.waitForSelector('li[data-mark], [data-view], [data-unknown-widget]');
  await opened(page); // every view's chunk fetched and its answers shown
  let total = 0;
  for (const u of urls) {
    if (exclude.test(u)) continue;
    const body = Buffer.from(await (await fetch(u)).arrayBuffer());
    total += gzipSync(body, { level: 9 }).length;
  }
  await page.close();
  return { kb: total / 1024, files: [...urls].filter((u) => !exclude.test(u)).length };
}

export default async function browserBench(row, { below, median }) {
  const site = await serveSite();
  const browser = await openBrowser();
  try {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = await trainTime(browser, `${site.url}?pace=instant`);
      runs.push(r);
      if (i < 2) await r.page.close();
    }
    row('browser', 'Train pressed to dish 1,000 at instant pace, with the live curve (median of 3)', median(runs.map((r) => r.ms)), 'ms', below(500));
    row('browser', 'longest main-thread task while training (worst of 3; 0 = no task over 50 ms)', Math.max(...runs.map((r) => r.long)), 'ms', below(50));
    row('browser', 'longest gap between animation frames while training', Math.max(...runs.map((r) => r.gap)), 'ms');
    const page = runs[2].page;
    const lat = await sliderLatency(page);
    row('browser', 'risk dial moved to new names shown (median of 6)', median(lat), 'ms', below(50));
    await page.close();
    // training speed with every chapter view open against the trainer alone
    // (on the main page, the reader looks at chapter 6, the busiest view: two walls of dials)
    const rate = async (url, look) => {
      const p = await browser.newPage();
      await p.goto(url);
      await p.waitForSelector('li[data-mark]');
      await opened(p);
      await freshKitchen(p, 'instant');
      await p.selectOption('#trainer select', '20000');
      await shows(p, '[data-counter=step]', /^0 \/ 20,000/);
      if (look) {
        await p.$eval(look, (e) => e.scrollIntoView());
        await inView(p, [look]);
        await viewsCurrent(p, look); // awake and showing the dials as they are
      }
      await p.$eval('[data-action=train]', (b) => b.click());
      await p.waitForFunction(() => /^20,000 \/ 20,000/.test(document.querySelector('[data-counter=step]').textContent), null, { timeout: 60000 });
      const secs = Number((await p.textContent('[data-counter=time]')).replace(/[^\d.]/g, ''));
      await p.close();
      return 20000 / secs;
    };
    const alone = [], all = [];
    for (let i = 0; i < 5; i++) { // alternating: this machine is noisy
      alone.push(await rate(`${site.url}embed.html?w=trainer&start=fresh&pace=instant`));
      all.push(await rate(`${site.url}?pace=instant`, '#chapter-6'));
    }
    row('browser', 'training steps/s, trainer alone (median of 5 x 20,000)', median(alone), 'steps/s');
    row('browser', 'training steps/s, all eight chapter views open (looking at chapter 6)', median(all), 'steps/s');
    row('browser', 'slowdown with every view open', (1 - median(all) / median(alone)) * 100, '%', below(10));
    const w = await pageWeight(browser, site.url);
    row('browser', `page weight over the wire, gzipped, without names.txt (${w.files} files)`, w.kb, 'KB', below(150));
    // issue 14: its features load when the reader comes to them (features/OnDemand.jsx), not with the first page
    row('browser', `  the same against the first page before issue 14's features (${FIRST_PAGE_BEFORE_14} KB)`, w.kb, 'KB', atMost(FIRST_PAGE_BEFORE_14 + 5));
  } finally {
    await browser.close();
    await site.close();
  }
}

const percentile = (a, p) => [...a].sort((x, y) => x - y)[Math.max(0, Math.ceil(p * a.length) - 1)];
const within = (x, frac) => Object.assign((v) => Math.abs(v - x) <= x * frac, { label: `${x} ± ${frac * 100}%` });

/** The pace and the timeline: watch pace's rate and smoothness, scrubbing a
 * 20,000-dish run, and the page's layout shift at load. */
export async function paceBench(row, { below, median }) {
  const site = await serveSite();
  const browser = await openBrowser();
  try {
    const w = await watchRun(browser, `${site.url}?pace=watch`);
    row('pace', `watch pace: dishes a second over ${w.secs.toFixed(1)} s (kitchen's status: steps / cooking time)`, w.rate, 'dishes/s', within(WATCH_RATE, 0.1));
    row('pace', 'watch pace: the same steps over the page\'s wall clock', w.wallRate, 'dishes/s');
    row('pace', 'watch pace: the kitchen\'s stepsPerSec then', w.stepsPerSec, 'dishes/s');
    row('pace', `longest main-thread task while watching 1,000 dishes, 1280 x 900 (${w.count} over 50 ms; 0 = none)`, w.long, 'ms', below(50));

    // where the reader looks: the trainer (the first screen), chapter 6 (the
    // timeline moved off screen), and every view on screen at once
    const places = [['1280 x 900 at the trainer', WINDOW, null], ['1280 x 900 at chapter 6', WINDOW, '#chapter-6'],
      ['every view on screen (1280 x 16,000)', TALL, null]];
    for (const [label, vp, look] of places) {
      const page = await scrubPage(browser, `${site.url}?pace=instant`, vp, look);
      const { times, seen } = await scrubLatency(page);
      console.log(`  (views checked, ${label}: ${seen.join(' ')})`);
      row('pace', `scrub to dish N of 20,000 until every view shows N, ${label}: median of ${MOVES}`, median(times), 'ms', below(50));
      row('pace', `  the same: 95th percentile (${seen.length} hooks on screen)`, percentile(times, 0.95), 'ms', below(50));
      const d = await scrubDrag(page);
      row('pace', `longest main-thread task while dragging and stepping the timeline, ${label} (${d.count} over 50 ms; 0 = none)`, d.long, 'ms', below(50));
      row('pace', '  longest gap between animation frames then', d.gap, 'ms');
      await page.close();
    }

    for (const vp of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
      const cls = []; // each load once more: a shift comes with the timing of the chunks
      for (let i = 0; i < 3; i++) cls.push(await layoutShift(browser, site.url, vp));
      row('pace', `layout shift at load, ${vp.width} x ${vp.height} (worst of 3)`, Math.max(...cls), '', below(0.05));
    }
  } finally {
    await browser.close();
    await site.close();
  }
}
