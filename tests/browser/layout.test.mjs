// The page's layout in headless Chromium, as a reader meets it: the trainer
// in the first screen, anchors below the sticky bar, a page that holds still
// as it is scrolled, the End key, layout shift at load; and one penalty
// figure for the run wherever "the penalty at dish N" is shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser, shotPath } from '../helpers/browser.mjs';
import { ask, kitchenAt, opened, rendered, until } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

const DESKTOP = { width: 1280, height: 900 }, PHONE = { width: 360, height: 740 };
const ANCHORS = ['trainer', 1, 2, 3, 4, 5, 6, 7, 8].map((n) => (typeof n === 'number' ? `chapter-${n}` : n));

async function openPage(viewport, hash = '') {
  const page = await browser.newPage(viewport);
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(site.url + hash);
  await opened(page);
  await rendered(page, 3);
  return page;
}

const boxes = (page) => page.evaluate(() => {
  const box = (sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
  };
  return {
    train: box('[data-action=train]'), curve: box('canvas.loss-chart'), dial: box('.trainer .risk-dial'),
    name: box('li.name'), bar: box('.train-strip'), vw: innerWidth, vh: innerHeight,
  };
});
const inside = (b, vw, vh) => b && b.top >= 0 && b.left >= 0 && b.bottom <= vh && b.right <= vw;

test('1280 x 900: Train, the whole curve, the risk dial and the first row of names are in the first screen', async () => {
  const page = await openPage(DESKTOP);
  const b = await boxes(page);
  for (const k of ['train', 'curve', 'dial', 'name']) assert.ok(inside(b[k], b.vw, b.vh), `${k} at ${JSON.stringify(b[k])} in ${b.vw} x ${b.vh}`);
  await page.screenshot({ path: shotPath('layout-1280-first.png') });
  await page.close();
});

test('360 x 740: Train and the curve in the first screen, the names right under', async () => {
  const page = await openPage(PHONE);
  const b = await boxes(page);
  for (const k of ['train', 'curve']) assert.ok(inside(b[k], b.vw, b.vh), `${k} at ${JSON.stringify(b[k])} in ${b.vw} x ${b.vh}`);
  // between the curve and the names: the counters and the risk dial only
  assert.ok(b.name.top - b.curve.bottom < b.vh, `names start ${Math.round(b.name.top - b.curve.bottom)} px under the curve`);
  // the bar keeps the way back to the trainer at this width too
  assert.ok(await page.isVisible('.train-strip a[href="#trainer"]'), 'the trainer link is shown on a phone');
  await page.screenshot({ path: shotPath('layout-360-first.png') });
  await page.close();
});

test('one name per section: contents, heading and the bar\'s link agree', async () => {
  const page = await openPage(DESKTOP);
  const toc = await page.$$eval('nav.toc a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
  for (const [href, label] of toc) {
    const heading = await page.$eval(`${href} h2`, (h) => [...h.childNodes].filter((n) => !n.classList?.contains('chapter-n')).map((n) => n.textContent).join('').trim());
    assert.equal(heading, label, `${href}: heading and contents`);
  }
  const bar = await page.$eval('.train-strip a[href="#trainer"]', (a) => a.textContent.trim());
  assert.equal(bar, toc.find(([h]) => h === '#trainer')[1], 'the bar\'s link names the trainer as its heading does');
  await page.close();
});

// The heading of #id is whole, below the sticky bar and inside the viewport.
const headingPlace = (page, id) => page.evaluate((i) => {
  const h = document.querySelector(`#${i} h2`).getBoundingClientRect();
  const bar = document.querySelector('.train-strip').getBoundingClientRect();
  return { top: h.top, bottom: h.bottom, bar: bar.bottom, vh: innerHeight };
}, id);
const below = (p) => p.top >= p.bar - 0.5 && p.bottom <= p.vh;

for (const vp of [DESKTOP, PHONE]) {
  test(`${vp.width} px: a page opened on each anchor shows its heading below the sticky bar`, async () => {
    for (const id of ANCHORS) {
      const page = await openPage(vp, `#${id}`);
      const p = await headingPlace(page, id);
      assert.ok(below(p), `#${id}: heading at ${p.top.toFixed(0)}-${p.bottom.toFixed(0)}, bar ends at ${p.bar.toFixed(0)}`);
      await page.close();
    }
  });

  test(`${vp.width} px: each entry of the contents lands with its heading below the sticky bar`, async () => {
    const page = await openPage(vp);
    for (const id of ANCHORS) {
      await page.click(`nav.toc a[href="#${id}"]`);
      // the jump is done when the page stands still two frames in a row
      await until(page, () => {
        const y = scrollY, was = window.__y;
        window.__y = y;
        return was === y && location.hash !== '';
      }, null, `the jump to #${id} to end`);
      const p = await headingPlace(page, id);
      assert.ok(below(p), `#${id} from the contents: heading at ${p.top.toFixed(0)}-${p.bottom.toFixed(0)}, bar ends at ${p.bar.toFixed(0)}`);
      await page.evaluate(() => { window.__y = undefined; scrollTo(0, 0); });
    }
    await page.close();
  });

  test(`${vp.width} px: the page holds still as it is scrolled to the end (height within 5%), and End reaches the end`, async () => {
    const page = await openPage(vp);
    const h0 = await page.evaluate(() => document.documentElement.scrollHeight);
    // scroll in viewport steps; at each, the views woken there have answered
    for (let y = 0; ; y += vp.height) {
      const end = await page.evaluate((yy) => { scrollTo(0, yy); return yy >= document.documentElement.scrollHeight - innerHeight; }, y);
      await rendered(page, 2);
      await opened(page);
      if (end) break;
    }
    await rendered(page, 2);
    const h1 = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(Math.abs(h1 - h0) / h0 <= 0.05, `height ${h0} px at load, ${h1} px after scrolling to the end`);
    await page.evaluate(() => scrollTo(0, 0));
    await page.click('h1');
    await page.keyboard.press('End');
    await until(page, () => {
      const y = scrollY, was = window.__y;
      window.__y = y;
      return was === y && y > 0;
    }, null, 'the End key\'s scroll to end');
    const gap = await page.evaluate(() => document.documentElement.scrollHeight - (scrollY + innerHeight));
    assert.ok(gap <= 2, `End leaves ${gap} px below the viewport`);
    await page.close();
  });

  test(`${vp.width} px: layout shift at load under 0.05`, async () => {
    const page = await openPage(vp);
    const cls = await page.evaluate(() => window.__cls);
    assert.ok(cls < 0.05, `cumulative layout shift ${cls.toFixed(4)}`);
    await page.close();
  });
}

test('one penalty: the bar, the counters, the curve, the milestones and the news show the mean loss of the last 100 dishes', async () => {
  const page = await openPage(DESKTOP);
  await page.click('[data-action=train]');
  await kitchenAt(page, { state: 'done', step: 1000 });
  // chapter 6's views refresh while on screen
  await page.$eval('.sensei-milestones', (el) => el.scrollIntoView());
  await until(page, () => document.querySelector('[data-counter=step]').textContent.startsWith('1,000 /')
    && document.querySelectorAll('[data-milestone]').length === 4
    && document.querySelector('canvas.loss-chart').dataset.points === '1000', null, 'the page at dish 1,000');
  // the run's losses from the kitchen, and the penalty worked out here
  const losses = await ask(page, 'losses');
  assert.equal(losses.length, 1000);
  const penaltyAt = (n) => {
    const w = losses.slice(Math.max(0, n - 100), n);
    return (w.reduce((a, b) => a + b, 0) / w.length).toFixed(3);
  };
  assert.equal(await page.textContent('[data-counter=loss]'), penaltyAt(1000), 'the counters');
  assert.equal(await page.textContent('[data-strip=loss]'), penaltyAt(1000), 'the sticky bar');
  assert.match(await page.getAttribute('canvas.loss-chart', 'aria-label'), new RegExp(`last 100\\) ${penaltyAt(1000)}$`), 'the curve');
  for (const step of [1, 100, 500, 1000]) {
    assert.equal(await page.textContent(`[data-milestone="${step}"] [data-milestone-penalty]`), penaltyAt(step), `the milestone at dish ${step}`);
  }
  await until(page, () => /Training done/.test(document.querySelector('[data-run-news]').textContent), null, 'the end of the run told');
  assert.match(await page.textContent('[data-run-news]'), new RegExp(`final penalty ${penaltyAt(1000)} \\(the mean loss of the last 100 dishes\\)`));
  await page.close();
});

test('the risk dial\'s marks read the same in the trainer and in chapter 7', async () => {
  const page = await openPage(DESKTOP);
  const marks = (sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  const trainer = await marks('.trainer .marks > span');
  const service = await marks('#chapter-7 .service-marks > span, #chapter-7 .marks > span');
  assert.ok(trainer.length >= 3, trainer.join(' | '));
  assert.deepEqual(trainer, service);
  await page.close();
});
