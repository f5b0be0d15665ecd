// The page for every reader, in headless Chromium: what a screen reader
// hears of the run and of the names, the contrast of control borders, text
// sizes on a phone, the rolling records' pause, whole names on hover.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { ask, kitchenAt, opened, rendered, until } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

async function openPage(viewport = { width: 1280, height: 900 }, scheme = 'light') {
  const page = await browser.newPage(viewport);
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(site.url);
  await opened(page);
  return page;
}

// Every text a live region (polite or assertive, or a status/log/alert role)
// shows from now on, in the page, as [region, text] pairs; read with heard().
const listen = (page) => page.evaluate(() => {
  window.__heard = [];
  const live = (el) => el.closest?.('[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]');
  new MutationObserver((records) => {
    for (const r of records) {
      const region = live(r.target.nodeType === 1 ? r.target : r.target.parentElement);
      if (!region) continue;
      const added = r.type === 'characterData' ? [r.target] : [...r.addedNodes];
      for (const n of added) {
        const t = n.textContent.trim();
        if (t) window.__heard.push([region.dataset.runNews !== undefined ? 'run' : region.dataset.namesSummary !== undefined ? 'names' : region.className || region.tagName, t]);
      }
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
});
const heard = (page) => page.evaluate(() => window.__heard);

test('a screen reader hears the run: its start, each quarter, and the end with the final penalty; nothing else', async () => {
  const page = await openPage();
  await listen(page);
  await page.click('[data-action=train]');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await until(page, () => /Training done/.test(document.querySelector('[data-run-news]').textContent), null, 'the end of the run told');
  const penalty = await page.textContent('[data-counter=loss]');
  const all = await heard(page);
  const run = all.filter(([r]) => r === 'run').map(([, t]) => t);
  assert.equal(run.length, 5, run.join(' | '));
  assert.match(run[0], /^Ming starts training: 1,000 dishes/);
  assert.match(run[1], /^Dish 250 of 1,000: penalty \d\.\d{3}\.$/);
  assert.match(run[2], /^Dish 500 of 1,000: penalty \d\.\d{3}\.$/);
  assert.match(run[3], /^Dish 750 of 1,000: penalty \d\.\d{3}\.$/);
  assert.match(run[4], new RegExp(`^Training done: 1,000 dishes, final penalty ${penalty.replace('.', '\\.')} `));
  // the names re-sampled while training, the counters, the views: silent
  assert.deepEqual(all.filter(([r]) => r !== 'run'), [], 'other live regions spoke while training');
  await page.close();
});

test('the names are told as one summary once the risk dial comes to rest, not on every key press', async () => {
  const page = await openPage();
  assert.equal(await page.$$eval('ol.names', (l) => l.filter((e) => e.closest('[aria-live]:not([aria-live=off])')).length), 0, 'the list is not live');
  await listen(page);
  await page.focus('#temperature');
  // five presses of a held key (auto-repeat), then the key comes up
  for (let i = 0; i < 5; i++) await page.keyboard.down('ArrowRight');
  await page.keyboard.up('ArrowRight');
  assert.equal(await page.textContent('[data-temperature]'), '0.75');
  await until(page, () => document.querySelector('[data-names-summary]').textContent !== '', null, 'the names summary');
  // the names shown come from the kitchen at the dial's value: ask it once more, so any late answer is in
  await ask(page, 'status');
  await rendered(page, 3);
  const said = (await heard(page)).filter(([r]) => r === 'names').map(([, t]) => t);
  assert.equal(said.length, 1, said.join(' | '));
  const shown = await page.$$eval('li[data-mark]', (li) => [li.length, li.filter((e) => e.dataset.mark === 'invented').length]);
  assert.equal(said[0], `At risk 0.75: ${shown[0]} names, ${shown[1]} invented.`);
  assert.ok(said[0].split(/\s+/).length <= 8, 'a short summary');
  await page.close();
});

// WCAG relative luminance and contrast of two CSS colours (rgb()/rgba() from getComputedStyle).
const CONTRAST = `(() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const x = lum(rgb(a)), y = lum(rgb(b)); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // the colour behind an element: its own background, or the first ancestor's that is not transparent
  const behind = (el) => { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; const p = rgb(c); if (p.length < 4 || p[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
  return { ratio, behind };
})()`;

for (const scheme of ['light', 'dark']) {
  test(`${scheme}: borders of inputs and secondary buttons have 3:1 against their own and the page's background`, async () => {
    const page = await openPage(undefined, scheme);
    const worst = await page.evaluate((lib) => {
      const { ratio, behind } = eval(lib); // eslint-disable-line no-eval
      const els = [...document.querySelectorAll('input[type=text], select, textarea, button:not(.primary)')].filter((e) => e.getClientRects().length);
      return els.map((e) => {
        const border = getComputedStyle(e).borderTopColor;
        const own = behind(e), page = behind(e.parentElement);
        return { what: `${e.tagName.toLowerCase()}#${e.id}${e.dataset.action ? `[${e.dataset.action}]` : ''}`, r: Math.min(ratio(border, own), ratio(border, page)) };
      }).sort((a, b) => a.r - b.r).slice(0, 3);
    }, CONTRAST);
    assert.ok(worst.length > 0);
    assert.ok(worst[0].r >= 3, `lowest border contrast ${worst[0].r.toFixed(2)}:1 (${worst[0].what})`);
    await page.close();
  });
}

test('360 px: inputs at 16 px at least, and no text under 11 px (SVG text as drawn)', async () => {
  const page = await openPage({ width: 360, height: 740 });
  const r = await page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input[type=text], input:not([type]), select, textarea')].filter((e) => e.getClientRects().length)
      .map((e) => ({ what: `${e.tagName.toLowerCase()}#${e.id}`, px: parseFloat(getComputedStyle(e).fontSize) }));
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('.visually-hidden, noscript, script, style, option, datalist, [hidden]')) continue;
      if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
      let px = parseFloat(getComputedStyle(el).fontSize);
      const svgText = el.closest('text');
      if (svgText && svgText.ownerSVGElement) { const m = svgText.getScreenCTM(); px *= Math.hypot(m.a, m.b); }
      texts.push({ what: `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${n.textContent.trim().slice(0, 20)}"`, px });
    }
    texts.sort((a, b) => a.px - b.px);
    inputs.sort((a, b) => a.px - b.px);
    return { inputs: inputs.slice(0, 3), texts: texts.slice(0, 3), count: texts.length };
  });
  assert.ok(r.count > 200, `${r.count} text nodes walked`);
  assert.ok(r.inputs[0].px >= 16, `smallest input text ${r.inputs[0].px} px (${r.inputs[0].what})`);
  assert.ok(r.texts[0].px >= 11, `smallest text ${r.texts[0].px.toFixed(1)} px: ${r.texts.map((t) => `${t.what} ${t.px.toFixed(1)}`).join('; ')}`);
  await page.close();
});

test('the rolling records pause on hover, on focus and with their Pause button', async () => {
  const page = await openPage();
  // the view re-renders after each event: wait for its state (a poll, not raf: the page may be idle)
  const rolling = (want, what) => until(page, (w) => document.querySelector('.records-sample').dataset.rolling === w, want, what,
    { polling: 50 });
  await page.$eval('.records-sample', (el) => el.scrollIntoView({ block: 'center' }));
  await page.mouse.move(0, 0);
  await until(page, () => document.querySelector('.records-sample').dataset.rolling === 'rolling', null, 'rolling');
  await page.hover('.records-sample ul');
  await rolling('paused', 'hover');
  await page.mouse.move(0, 0);
  await rolling('rolling', 'rolling again');
  await page.focus('[data-action=more-names]');
  await rolling('paused', 'focus');
  await page.evaluate(() => document.activeElement.blur());
  await rolling('rolling', 'rolling again');
  await page.click('[data-action=pause-rolling]');
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  await rolling('paused', 'the Pause button');
  await page.click('[data-action=pause-rolling]');
  await until(page, () => document.querySelector('[data-action=pause-rolling]').textContent === 'Pause', null, 'the button says Pause',
    { polling: 50 });
  await page.evaluate(() => document.activeElement.blur()); // the click left focus on the button: that holds it too
  await page.mouse.move(0, 0);
  await rolling('rolling', 'rolling again');
  await page.close();
});

test('names cut short on screen keep their whole name on hover and for screen readers', async () => {
  const page = await openPage({ width: 360, height: 740 });
  const cut = await page.$$eval('li[data-mark] .dish, .records-sample li, .sensei-names, .records-pair-name, .trace-top-name', (els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth || e.title).map((e) => ({ text: e.textContent, title: e.title, aria: e.getAttribute('aria-hidden') })));
  for (const c of cut) {
    assert.equal(c.title.replace(/\s+/g, ' '), c.text.replace(/\s+/g, ' '), `title of "${c.text}"`);
    assert.notEqual(c.aria, 'true');
  }
  assert.equal(await page.$$eval('li[data-mark] .dish', (els) => els.filter((e) => e.title !== e.textContent).length), 0, 'every trainer name has its title');
  await page.close();
});
