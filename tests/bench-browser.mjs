// bench-browser.mjs - the browser figures of `make bench`, in headless Chromium.
import { gzipSync } from 'node:zlib';
import { serveSite } from './helpers/server.mjs';
import { openBrowser } from './helpers/browser.mjs';
import { inView, opened, shows, viewsCurrent } from './helpers/wait.mjs';

// Longest main-thread task and longest gap between animation frames, from
// before the click until stop() is called.
const OBSERVE = () => {
  window.__long = 0; window.__gap = 0;
  const note = (entries) => { for (const e of entries) window.__long = Math.max(window.__long, e.duration); };
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
      const r = await trainTime(browser, site.url);
      runs.push(r);
      if (i < 2) await r.page.close();
    }
    row('browser', 'Train pressed to step 1000 with the live curve (median of 3)', median(runs.map((r) => r.ms)), 'ms', below(500));
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
      alone.push(await rate(`${site.url}embed.html?w=trainer&start=fresh`));
      all.push(await rate(site.url, '#chapter-6'));
    }
    row('browser', 'training steps/s, trainer alone (median of 5 x 20,000)', median(alone), 'steps/s');
    row('browser', 'training steps/s, all eight chapter views open (looking at chapter 6)', median(all), 'steps/s');
    row('browser', 'slowdown with every view open', (1 - median(all) / median(alone)) * 100, '%', below(10));
    const w = await pageWeight(browser, site.url);
    row('browser', `page weight over the wire, gzipped, without names.txt (${w.files} files)`, w.kb, 'KB', below(150));
  } finally {
    await browser.close();
    await site.close();
  }
}
