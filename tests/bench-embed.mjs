// bench-embed.mjs - the embedding figures of `make bench`, in headless Chromium.
import { gzipSync } from 'node:zlib';
import { serveSite, serveBlog } from './helpers/server.mjs';
import { openBrowser } from './helpers/browser.mjs';
import { kitchenAt, opened, until } from './helpers/wait.mjs';

const LONGTASKS = () => {
  window.__long = 0;
  const note = (entries) => { for (const e of entries) window.__long = Math.max(window.__long, e.duration); };
  const po = new PerformanceObserver((l) => note(l.getEntries()));
  po.observe({ type: 'longtask', buffered: false }); // from now on: while training
  // the longest so far, with the entries not delivered yet
  window.__longest = () => { note(po.takeRecords()); return window.__long; };
};

// inFrame: the widget is the only iframe of the page at url (a post on
// another origin), else the page itself
async function widgetToTrained(browser, url, { inFrame = false } = {}) {
  const top = await browser.newPage();
  await top.goto(url);
  let page = top;
  if (inFrame) {
    const widget = (f) => f.url().includes('/embed.html');
    page = top.frames().find(widget) ?? await top.waitForEvent('framenavigated', { predicate: widget, timeout: 20000 });
  }
  // performance.now() counts from the (frame's) navigation: load to a trained Ming's vote on screen
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const check = () => (document.querySelector('.vote-bars li') ? resolve(performance.now()) : requestAnimationFrame(check));
    check();
  }));
  const step = await page.evaluate(() => globalThis.mingsKitchenRequest('status').then((s) => s.step));
  // where the time went: the page's marks (web/src/state/actions.js)
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('kitchen:')).map((m) => [m.name.slice(8), m.startTime])));
  const mode = await page.evaluate(() => document.documentElement.dataset.kitchen);
  await top.close();
  if (step !== 1000) throw new Error(`the widget showed a Ming at step ${step}, not a trained one`);
  return { ms, marks, mode };
}

// The same clock on floor.html: what any page with a worker costs here.
async function floor(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  const ms = await page.waitForFunction(() => window.floorMs, null, { polling: 'raf' }).then((h) => h.jsonValue());
  await page.close();
  return ms;
}

async function weight(browser, url, exclude) {
  const page = await browser.newPage();
  const urls = new Set();
  page.on('response', (r) => { if (r.status() === 200) urls.add(r.url()); });
  await page.goto(url);
  await page.waitForSelector('.vote-bars li', { timeout: 15000 });
  await opened(page); // every request of the widget made and answered
  let total = 0, wasm = 0;
  for (const u of urls) {
    if (exclude.test(u)) continue;
    const gz = gzipSync(Buffer.from(await (await fetch(u)).arrayBuffer()), { level: 9 }).length;
    total += gz;
    if (u.endsWith('.wasm')) wasm += gz;
  }
  await page.close();
  // the engine is fetched by the kitchen's worker, which the page's response log may not show
  if (!wasm) {
    wasm = gzipSync(Buffer.from(await (await fetch(new URL('microgpt.wasm', url))).arrayBuffer()), { level: 9 }).length;
    total += wasm;
  }
  return { total: total / 1024, wasm: wasm / 1024, files: [...urls].filter((u) => !exclude.test(u)).length };
}

// The JS heaps of the widgets' workers (the kitchen), through the DevTools protocol.
async function workerHeaps(browser, page, origin) {
  const cdp = await browser.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => { const m = JSON.parse(e.message); pending.get(m.id)?.(m.result); });
  let used = 0, id = 0;
  for (const t of targetInfos.filter((x) => (x.type === 'worker' || x.type === 'shared_worker') && x.url.startsWith(origin))) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
    const reply = new Promise((r) => pending.set(++id, r));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    used += (await reply).usedSize;
  }
  await cdp.detach();
  return used;
}

async function allWidgets(browser, blog) {
  const page = await browser.newPage({ width: 1280, height: 900 });
  await page.goto(`${blog.url}all.html`);
  for (const el of await page.$$('iframe')) await el.scrollIntoViewIfNeeded();
  const frames = () => page.frames().filter((f) => f.url().includes('/embed.html'));
  await until(page, () => document.querySelectorAll('iframe').length >= 10, null, 'the ten widgets\' frames', { polling: 100 });
  for (const el of await page.$$('iframe')) await (await el.contentFrame()).waitForSelector('[data-view], .trainer', { timeout: 20000 });
  for (const f of frames()) await opened(f); // at rest: every view loaded and answered
  for (const f of [page.mainFrame(), ...frames()]) await f.evaluate(LONGTASKS);
  const trainer = frames().find((f) => f.url().includes('w=trainer'));
  await (await page.$('iframe[src*="w=trainer"]')).scrollIntoViewIfNeeded();
  // the figure is the widgets' work while Ming trains, not the watch pace's waits
  await trainer.evaluate(() => globalThis.mingsKitchenRequest('setPace', { pace: 'instant' }));
  await trainer.selectOption('#trainer select', '5000');
  await trainer.$eval('[data-action=train]', (b) => b.click());
  await trainer.waitForFunction(() => /^5,000 \/ 5,000/.test(document.querySelector('[data-counter=step]').textContent), null, { timeout: 30000, polling: 100 });
  // each widget has heard the run's end (its reply comes after the kitchen's last events on its port)
  for (const f of frames()) await kitchenAt(f, { state: 'done', step: 5000 });
  let longest = 0;
  for (const f of [page.mainFrame(), ...frames()]) longest = Math.max(longest, await f.evaluate(() => window.__longest()));
  const hostHeap = await page.evaluate(() => performance.memory.usedJSHeapSize);
  // the widgets share one renderer process (one origin), so one JS heap
  let widgetHeap = 0;
  for (const f of frames()) widgetHeap = Math.max(widgetHeap, await f.evaluate(() => performance.memory.usedJSHeapSize));
  const { wasmBytes } = await trainer.evaluate(() => globalThis.mingsKitchenRequest('memory'));
  const workerHeap = await workerHeaps(browser, page, new URL(frames()[0].url()).origin);
  await page.close();
  return { longest, hostHeap, widgetHeap, workerHeap, wasmBytes };
}

export default async function embedBench(row, { below, median }) {
  const site = await serveSite();
  const blog = await serveBlog(site.origin);
  const browser = await openBrowser({ extraArgs: ['--enable-precise-memory-info'] }); // heap sizes unrounded
  try {
    const loads = [];
    for (let i = 0; i < 5; i++) loads.push(await widgetToTrained(browser, `${site.url}embed.html?w=line&name=emm&start=trained`));
    row('embed', 'widget load to a trained Ming\'s output (median of 5)', median(loads.map((l) => l.ms)), 'ms', below(300));
    const at = (k) => median(loads.map((l) => l.marks[k] ?? NaN));
    row('embed', '  of which: page and scripts, to the kitchen asked for (median)', at('open'), 'ms');
    row('embed', '  kitchen worker started and connected', at('connected') - at('open'), 'ms');
    row('embed', '  engine and records loaded, Ming created, 1,000 dishes cooked', at('trained') - at('connected'), 'ms');
    row('embed', '  names drawn and the view drawn', median(loads.map((l) => l.ms)) - at('trained'), 'ms');
    const framed = [];
    for (let i = 0; i < 5; i++) framed.push(await widgetToTrained(browser, `${blog.url}one.html`, { inFrame: true }));
    const modes = [...new Set(framed.map((l) => l.mode))].join(', ');
    row('embed', `the same widget alone in a post on another origin (kitchen: ${modes}; median of 5)`, median(framed.map((l) => l.ms)), 'ms', below(300));
    const floors = [];
    for (let i = 0; i < 5; i++) floors.push(await floor(browser, `${blog.url}floor.html`));
    row('embed', 'for scale: a trivial page starting a worker and hearing back (median of 5)', median(floors), 'ms');
    const w = await weight(browser, `${site.url}embed.html?w=line&name=emm`, /names\.txt$/);
    row('embed', `embed.html with its scripts and styles, gzipped (${w.files} files, no wasm)`, w.total - w.wasm, 'KB', below(60));
    row('embed', 'the same plus microgpt.wasm (the engine), gzipped', w.total, 'KB');
    const a = await allWidgets(browser, blog);
    const mb = (x) => x / (1 << 20);
    row('embed', 'all ten widgets: JS heaps (host page, widgets, kitchen worker) and wasm memory', mb(a.hostHeap + a.widgetHeap + a.workerHeap + a.wasmBytes), 'MB', below(64));
    row('embed', '  of which the kitchen worker\'s JS heap / the engine\'s wasm memory', `${mb(a.workerHeap).toFixed(1)} / ${mb(a.wasmBytes).toFixed(1)}`, 'MB');
    row('embed', 'all ten widgets: longest main-thread task while training (0 = none over 50 ms)', a.longest, 'ms', below(50));
  } finally {
    await browser.close();
    await blog.close();
    await site.close();
  }
}
