// A kitchen that dies quietly is noticed: the page's own worker, the worker a
// widget frame hosts for its siblings, and a records file that loaded but was
// bad. Retry starts over for real (a new worker, a new download).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, serveBlog } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { press } from '../helpers/page.mjs';

let site, blog;
before(async () => { site = await serveSite(); blog = await serveBlog(site.origin); });
after(async () => { await blog?.close(); await site?.close(); });

const BANNER_GOAL_MS = 2000;  // worker gone -> banner with Retry (client.js: a beat each 500 ms, 3 missed)
const BANNER_LIMIT_MS = 3500; // the goal plus the slack of a loaded machine's timers
const kitchenWorkers = (page) => page.workers().filter((w) => /\/assets\/worker\.js$/.test(w.url()));

// Records, in the page, when the banner with Retry first shows (Date.now(), comparable with the worker's).
const watchBanner = (frame) => frame.evaluate(() => {
  window.__bannerAt = 0;
  const look = () => { if (!window.__bannerAt && document.querySelector('[data-error] [data-action=retry]')) window.__bannerAt = Date.now(); };
  new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
});
// Ends a worker the way a crash without an error event does; returns when (Date.now()).
const closeWorker = (worker) => worker.evaluate(() => { const t = Date.now(); setTimeout(() => self.close(), 0); return t; });
const stepShown = (page) => page.$eval('#trainer [data-counter=step]', (e) => Number(e.textContent.split('/')[0].replace(/\D/g, '')));

async function openMain(browser) {
  const page = await browser.newPage();
  await page.goto(site.url);
  await page.waitForSelector('.status[data-phase=ready]', { state: 'attached', timeout: 30000 });
  return page;
}

test('the page\'s own worker closes itself mid-run: the banner with Retry within 2 s, and Retry gives a new, working kitchen', async () => {
  const browser = await openBrowser();
  try {
    const page = await openMain(browser);
    await page.selectOption('#trainer select', '20000');
    await page.click('#trainer [data-action=train]');
    await page.waitForFunction(() => Number(document.querySelector('#trainer [data-counter=step]').textContent.split('/')[0].replace(/\D/g, '')) >= 1000,
      null, { timeout: 30000, polling: 100 });
    const [worker] = kitchenWorkers(page);
    assert.ok(worker, 'the kitchen worker');
    await watchBanner(page.mainFrame());
    const closedAt = await closeWorker(worker);
    await page.waitForSelector('[data-error] [data-action=retry]', { timeout: 15000 });
    const delay = (await page.evaluate(() => window.__bannerAt)) - closedAt;
    console.log(`# worker closed -> banner with Retry: ${delay} ms`);
    assert.ok(delay <= BANNER_LIMIT_MS, `the banner came ${delay} ms after the worker closed (goal ${BANNER_GOAL_MS} ms)`);
    assert.match(await page.textContent('[data-error]'), /stopped answering.*Retry/);
    const at = await stepShown(page);
    assert.ok(at >= 1000 && at < 20000, `stopped at dish ${at}`);

    // Retry: a new worker, the old one gone; the run is replayed to where it was
    const replaced = page.waitForEvent('worker', { predicate: (w) => /\/assets\/worker\.js$/.test(w.url()), timeout: 15000 });
    await page.click('[data-error] [data-action=retry]');
    const fresh = await replaced;
    assert.notEqual(fresh, worker);
    await page.waitForSelector('.status[data-phase=ready]', { state: 'attached', timeout: 30000 });
    assert.equal(await page.$('[data-error]'), null, 'no banner once the kitchen is back');
    assert.equal(await stepShown(page), at, 'the new kitchen replayed the run to its dish');
    // and it trains: Reset, 1,000 dishes, Train
    await page.click('#trainer [data-action=reset]');
    await page.waitForFunction(() => document.querySelector('#trainer [data-counter=step]').textContent.startsWith('0 /'), null, { timeout: 15000, polling: 100 });
    await page.selectOption('#trainer select', '1000');
    await page.click('#trainer [data-action=train]');
    await page.waitForFunction(() => document.querySelector('#trainer [data-counter=step]').textContent === '1,000 / 1,000', null, { timeout: 30000, polling: 100 });
    assert.equal(await page.textContent('#trainer [data-action=train]'), 'Train again');
    assert.deepEqual(kitchenWorkers(page), [fresh], 'one kitchen worker, the new one');
    assert.deepEqual(page.problems.errors, []);
  } finally {
    await browser.close();
  }
});

const WIDGETS = ['trainer', 'line', 'service', 'scale', 'scorecard'];
const widgetFrames = (page) => page.frames().filter((f) => f.url().startsWith(`${site.origin}/embed.html`) && WIDGETS.includes(new URL(f.url()).searchParams.get('w')));
const idOf = (f) => new URL(f.url()).searchParams.get('w');
const dataset = (f) => f.evaluate(() => ({ ...document.documentElement.dataset })).catch(() => ({}));
const ask = (f, type, fields = {}) => f.evaluate(([t, x]) => globalThis.mingsKitchenRequest(t, x), [type, fields]);

async function openPost(browser) {
  const page = await browser.newPage({ width: 1280, height: 900 });
  await page.goto(blog.url);
  for (const el of await page.$$('iframe')) await el.scrollIntoViewIfNeeded(); // the frames load lazily
  const deadline = Date.now() + 30000;
  while (widgetFrames(page).length < WIDGETS.length && Date.now() < deadline) await page.waitForTimeout(50);
  for (const f of widgetFrames(page)) await f.waitForFunction(() => document.documentElement.dataset.phase === 'ready', null, { timeout: 30000, polling: 100 });
  return page;
}

// Polls (in Node: off-screen frames get no animation frames) until fn() returns a truthy value.
async function until(fn, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('in a post on another origin, the host frame\'s worker closes: it stops hosting, shows Retry, and the others elect a new host', async () => {
  const browser = await openBrowser();
  try {
    const page = await openPost(browser);
    const hosts = [];
    for (const f of widgetFrames(page)) if ((await dataset(f)).kitchen === 'host') hosts.push(f);
    assert.equal(hosts.length, 1, 'one host');
    const [host] = hosts;
    const guests = widgetFrames(page).filter((f) => f !== host);
    // a run under way, started from a guest
    await ask(guests[0], 'reset', { seed: 42, steps: 20000 });
    await ask(guests[0], 'setPace', { pace: 'instant' }); // 20,000 dishes at watch pace would take minutes
    await ask(guests[0], 'start', { steps: 20000 });
    await until(async () => (await ask(guests[0], 'status')).step >= 1000, 'dish 1,000');
    const [worker] = kitchenWorkers(page);
    assert.ok(worker, 'the host frame\'s worker');
    assert.equal(kitchenWorkers(page).length, 1, 'one kitchen worker in the post');
    await watchBanner(host);
    const closedAt = await closeWorker(worker);

    // the host notices, says so, and stops hosting
    await host.waitForSelector('[data-error] [data-action=retry]', { timeout: 15000 });
    const delay = (await host.evaluate(() => window.__bannerAt)) - closedAt;
    console.log(`# host frame's worker closed -> banner with Retry in the host frame: ${delay} ms`);
    assert.ok(delay <= BANNER_LIMIT_MS, `the banner came ${delay} ms after the worker closed`);
    assert.equal((await dataset(host)).kitchen, 'dead');

    // the others elect a new host among themselves, which replays the run and goes on
    const newHost = await until(async () => {
      const ds = await Promise.all(guests.map(dataset));
      const h = ds.filter((d) => d.kitchen === 'host');
      return h.length === 1 && ds.every((d) => d.phase === 'ready' && /^(host|guest)$/.test(d.kitchen)) && guests[ds.indexOf(h[0])];
    }, 'a new host among the guests');
    assert.notEqual(newHost, host);
    const connections = async () => Promise.all(guests.map(async (f) => Number((await dataset(f)).connections)));
    const settled = await connections();
    // the run goes on in the new kitchen (a replay, then more dishes): time in which a guest
    // tied to a dead host would have reconnected (a beat each 500 ms)
    const st = await until(async () => { const s = await ask(newHost, 'status').catch(() => null); return s?.step >= 20000 && s; }, 'the run to its end', 60000);
    assert.equal(st.state, 'done');
    for (const g of guests) assert.equal((await ask(g, 'status')).step, 20000, `${idOf(g)} shares the new kitchen`);
    assert.deepEqual(await connections(), settled, 'no guest reconnected after the new host was elected');
    // the first connection, the one after the host died, and (should two guests be elected at
    // once, one stepping down) one or two more; a loop to a dead host would add one each 1.3 s
    assert.ok(settled.every((n) => n <= 5), `a few connections each, not a loop: ${settled}`);

    // Retry in the frame that hosted: it joins the new kitchen
    await press(host, 'retry', '[data-error]');
    await until(async () => { const d = await dataset(host); return d.phase === 'ready' && d.kitchen === 'guest'; }, 'the old host joins as a guest');
    assert.equal((await ask(host, 'status')).step, 20000);
    assert.deepEqual(page.problems.errors, []);
  } finally {
    await browser.close();
  }
});

test('names.txt served bad (binary, status 200): Retry downloads it again and the kitchen opens', async () => {
  const browser = await openBrowser();
  const served = [];
  await browser.context.route('**/names.txt', async (route) => {
    served.push(route.request().url());
    if (served.length === 1) {
      const junk = Buffer.alloc(4096);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 37 + 11) & 0xff;
      await route.fulfill({ status: 200, contentType: 'text/plain', body: junk });
    } else {
      await route.continue();
    }
  });
  try {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.waitForSelector('[data-error] [data-action=retry]', { timeout: 30000 });
    assert.equal(served.length, 1);
    await page.click('[data-error] [data-action=retry]');
    await page.waitForSelector('.status[data-phase=ready]', { state: 'attached', timeout: 30000 });
    assert.equal(served.length, 2, 'Retry downloaded the records again');
    assert.equal(await page.$('[data-error]'), null);
    await page.waitForSelector('#trainer li[data-mark]', { timeout: 15000 }); // Ming's names, from the good records
  } finally {
    await browser.close();
  }
});
