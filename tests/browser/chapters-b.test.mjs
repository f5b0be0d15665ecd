// Chapters 5-8 (trace, sensei, service, scale) on the main page and the wall
// of dials (embed.html?w=dials) in headless Chromium, untrained and
// trained: each renders from the live model, updates while Ming trains,
// says what is wrong with bad input and keeps working, logs no error.
// Screenshots (trained): tests/screenshots/chapter-{5..8}-{1280,360}.png
// and dials-{1280,360}.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from '../../web/serve.mjs';
import { dist } from '../helpers/paths.mjs';
import { openBrowser, shotPath, recordTexts, recordedTexts } from '../helpers/browser.mjs';
import { changed, inView, kitchenAt, rendered, shows, viewsCurrent } from '../helpers/wait.mjs';
import { DEFAULT_COUNT } from '../helpers/default-run.mjs';
import { noErrors } from '../helpers/page.mjs';

const CHAPTERS = [5, 6, 7, 8];
let server, url, browser, page;

before(async () => {
  server = createServer(dist);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}/`;
  browser = await openBrowser();
  page = await browser.newPage();
  // dishes are served at once under reduced motion (the step-by-step reveal is tested on its own)
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${url}?pace=instant`); // the runs here are trained whole (the pace: pace-scrub.test.mjs)
  await page.waitForSelector('[data-trace-loss]', { timeout: 20000 });
  await page.waitForSelector('[data-solo-done]', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('#chapter-7 [data-invented-share]')?.dataset.inventedShare, null, { timeout: 20000 });
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
});

const text = (sel) => page.textContent(sel);
const attr = (sel, a) => page.getAttribute(sel, a);
const heights = () => page.$$eval(CHAPTERS.map((n) => `#chapter-${n}`).join(','), (s) => s.map((e) => Math.round(e.getBoundingClientRect().height)));

async function screenshots(suffix) {
  // the sticky strip would cover the top of a chapter in an element shot
  await page.$eval('.train-strip', (e) => { e.style.visibility = 'hidden'; });
  for (const w of [1280, 360]) {
    await page.setViewportSize({ width: w, height: 900 });
    await rendered(page); // laid out and painted at the new width
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `no horizontal overflow at ${w} px`);
    for (const n of CHAPTERS) await page.locator(`#chapter-${n}`).screenshot({ path: shotPath(`chapter-${n}-${w}${suffix}.png`) });
  }
  await page.$eval('.train-strip', (e) => { e.style.visibility = ''; });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('no horizontal overflow at 360 px, untrained', async () => {
  await page.setViewportSize({ width: 360, height: 900 });
  await rendered(page);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('untrained: chapters 5 to 8 show the live model', async () => {
  for (const n of CHAPTERS) assert.ok((await text(`#chapter-${n} .what`)).length > 40, `chapter ${n} says what it shows`);
  // 5: the worked example and one name's gradient
  assert.equal(await text('[data-plate]'), '8');
  assert.equal(await text('[data-salt-impact]'), '4');
  assert.equal(await text('[data-sugar-impact]'), '2');
  assert.match(await text('[data-trace-loss]'), /^\d\.\d{4}$/);
  const top = await page.$$eval('[data-top-dial]', (li) => li.map((e) => [Number(e.dataset.topDial), Math.abs(Number(e.dataset.impact))]));
  assert.equal(top.length, 10);
  for (let i = 1; i < 10; i++) assert.ok(top[i - 1][1] >= top[i][1], 'largest impact first');
  assert.match(await text('[data-top-dial] button'), /^dial #\d+ = [a-z0-9_.]+\[\d+\]\[\d+\][+-]\d/);
  // 6: the run has not begun
  assert.equal(await text('[data-sensei-step]'), '0');
  assert.equal(await page.$$eval('[data-milestone]', (m) => m.length), 0);
  assert.equal(await attr('.sensei-lr', 'data-lr'), '0.01');
  // 7: a dish cooked course by course, and a share of invented names
  const steps = await page.$$eval('[data-solo-step]', (li) => li.map((e) => e.dataset.course));
  assert.ok(steps.length >= 1 && steps.length <= 16, 'at most the block of 16 courses');
  assert.equal(await attr('[data-solo-name]', 'data-solo-name'), steps.filter((c) => c !== 'bell').join(''));
  assert.equal(await page.$$eval('#chapter-7 .vote-bars li', (li) => li.length), 8);
  const share = Number(await attr('#chapter-7 [data-invented-share]', 'data-invented-share'));
  assert.ok(share >= 0 && share <= 1, `share ${share}`);
  // 8: Ming's figures from the model
  assert.equal(await text('[data-scale=dials]'), '4,192');
  assert.equal(await text('[data-scale=records]'), `${DEFAULT_COUNT} names`); // Karpathy's, the default records
  assert.match(await text('[data-scale=courses]'), /^27: 26 characters and the bell$/);
  assert.equal(await text('[data-scale=layers]'), '1');
  assert.equal(await text('[data-scale=time]'), 'press Train');
  noErrors(page);
});

test('the salt-and-sugar example is computed from its inputs; a bad number is named', async () => {
  await page.fill('#trace-salt', '5');
  await page.fill('#trace-sugar', '7');
  assert.equal(await text('[data-plate]'), '40');
  assert.equal(await text('[data-salt-impact]'), '8');
  assert.equal(await text('[data-sugar-impact]'), '5');
  await page.fill('#trace-salt', '');
  assert.match(await text('#trace-salt-msg'), /Type a number/);
  assert.equal(await text('[data-salt-impact]'), '8', 'the last good value stays');
  await page.fill('#trace-salt', '2');
  await page.fill('#trace-sugar', '3');
  assert.equal(await text('[data-salt-impact]'), '4');
  assert.doesNotMatch(await text('#trace-salt-msg'), /Type a number/);
});

test('bad names and bad dial numbers: each says what is wrong, the view keeps working', async () => {
  const bad = [['Emma', /"E" is not one of/], ['em3', /"3"/], ['zoë', /"ë"/], ['😀', /not one of/], ['', /Type a name/], ['abcdefghijklmnop', /At most 15 characters/]];
  const loss = await text('[data-trace-loss]');
  let said = await text('#trace-name-msg');
  for (const [value, pattern] of bad) {
    await page.fill('#trace-name', value);
    said = await changed(page, '#trace-name-msg', said); // each value gets a message of its own
    assert.match(said, pattern, JSON.stringify(value));
    assert.equal(await attr('#trace-name', 'aria-invalid'), 'true');
    assert.equal(await text('[data-trace-loss]'), loss, 'the last good name stays on show');
  }
  await page.fill('#trace-name', 'anna');
  await page.waitForFunction((l) => document.querySelector('[data-trace-loss]').textContent !== l, loss);
  assert.doesNotMatch(await text('#trace-name-msg'), /not one of|At most|Type a name/);
  assert.match(await page.textContent('.trace-loss'), /"anna"/);
  for (const [sel, bads] of [['#trace-dial', ['abc', '4192', '-1', '1.5', '']], ['#sensei-dial', ['x', '99999']]]) {
    for (const v of bads) {
      await page.fill(sel, v);
      assert.match(await text(`${sel}-msg`), /dial/, `${sel} ${JSON.stringify(v)}`);
      assert.equal(await attr(sel, 'aria-invalid'), 'true');
    }
  }
  await page.fill('#trace-dial', '15');
  assert.equal(await attr('[data-trace-chosen]', 'data-trace-chosen'), '15');
  assert.match(await text('[data-trace-chosen]'), /#15 = wte\[0\]\[15\]/);
  await page.fill('#sensei-dial', '15');
  assert.equal(await attr('[data-sensei-dial]', 'data-sensei-dial'), '15');
  // back to the default: the top dial of "emma"
  await page.fill('#trace-name', 'emma');
  await page.waitForFunction(() => /"emma"/.test(document.querySelector('.trace-loss').textContent));
  await page.click('[data-top-dial] button');
  noErrors(page);
});

test('the nudge test: the predicted change matches the measured one, and Ming keeps his dials', async () => {
  const before = await text('[data-trace-loss]');
  await page.click('[data-action=nudge]');
  await page.waitForFunction(() => document.querySelector('[data-nudge-measured]').textContent !== '–');
  const predicted = Number(await attr('[data-nudge-predicted]', 'data-nudge-predicted'));
  const measured = Number(await attr('[data-nudge-measured]', 'data-nudge-measured'));
  assert.ok(Math.abs(predicted - measured) <= 0.05 * Math.abs(predicted) + 1e-5, `${predicted} vs ${measured}`);
  assert.match(await text('[data-nudge-predicted]'), /^[+-]\d\.\d{4}|^[+-]0\.0*\d{5}/, 'sign and 5 significant digits');
  // a larger turn strays further from the straight-line prediction
  await page.selectOption('#trace-amount', '0.1');
  await page.click('[data-action=nudge]');
  await page.waitForFunction(() => document.querySelector('[data-nudge-measured]').textContent !== '–');
  // another name, then "emma" again: the penalty shown is asked anew
  await page.fill('#trace-name', 'emm');
  await shows(page, '.trace-loss', /"emm"/);
  await page.fill('#trace-name', 'emma');
  await shows(page, '.trace-loss', /"emma"/);
  assert.equal(await text('[data-trace-loss]'), before, 'the dial was turned back');
  noErrors(page);
});

test('cooking solo: Cook another course by course, the risk dial, reduced motion', async () => {
  // with motion, the dish is revealed one course at a time
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  // every number of courses on show, recorded in the page as it changes
  await page.evaluate(() => {
    const box = document.querySelector('#chapter-7');
    const counts = window.__soloCounts = [];
    window.__soloWatch = new MutationObserver(() => {
      const n = box.querySelectorAll('[data-solo-step]').length;
      if (counts.at(-1) !== n) counts.push(n);
    });
    window.__soloWatch.observe(box, { childList: true, subtree: true });
  });
  await page.click('[data-action=cook]');
  await page.waitForFunction(() => document.querySelector('[data-action=cook]').getAttribute('aria-disabled') === 'true');
  await page.waitForSelector('[data-solo-done]', { timeout: 20000 });
  const counts = await page.evaluate(() => { window.__soloWatch.disconnect(); return window.__soloCounts; });
  const total = await page.$$eval('[data-solo-step]', (s) => s.length);
  assert.ok(total >= 1);
  if (total > 2) assert.ok(counts.some((c) => c > 0 && c < total), `revealed step by step: ${counts.join(' ')} of ${total}`);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // the vote of an earlier course on request
  await page.click('[data-solo-step="0"] button');
  assert.equal(await attr('[data-solo-vote]', 'data-solo-vote'), '0');
  // the risk dial by keyboard
  const share = await attr('#chapter-7 [data-invented-share]', 'data-invented-share');
  await page.focus('#service-temperature');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await attr('[data-service-temperature]', 'data-service-temperature'), '0.7');
  // the names are counted again at the new risk (the share itself may stay: untrained, Karpathy's records
  // give 199 of 200 invented at both 0.5 and 0.7)
  await page.waitForFunction(() => {
    const p = document.querySelector('#chapter-7 [data-invented-share]');
    return p.dataset.shareTemperature === '0.7' && p.dataset.inventedShare !== '';
  });
  assert.match(await text('#chapter-7 [data-invented-share]'), /^Of 200 names Ming cooks at temperature 0\.70, \d+ \(\d+%\) are not in the master's records\.$/);
  assert.ok(share !== '', 'a share was counted at the risk before');
  // under reduced motion the dish is served at once
  await page.waitForSelector('[data-action=cook][aria-disabled=false]');
  await page.click('[data-action=cook]');
  await page.waitForSelector('[data-solo-done]', { timeout: 30000 });
  noErrors(page);
});

test('while Ming trains every view moves on, without layout jumps; trained, the figures settle', async () => {
  // views off screen rest while training: a tall window keeps them all in view
  await page.setViewportSize({ width: 1280, height: 16000 });
  await inView(page, CHAPTERS.map((n) => `#chapter-${n}`));
  await viewsCurrent(page);
  const before = {
    loss: await text('[data-trace-loss]'),
    share: await attr('#chapter-7 [data-invented-share]', 'data-invented-share'),
  };
  await page.selectOption('#trainer select', '20000');
  await shows(page, '[data-counter=step]', /\/ 20,000$/); // the kitchen planned the run
  await viewsCurrent(page);
  const still = await heights();
  await recordTexts(page, '[data-sensei-step]'); // the run lasts about a second
  await page.$eval('[data-action=train]', (b) => b.click());
  await page.waitForFunction((l) => document.querySelector('[data-trace-loss]').textContent !== l, before.loss, { timeout: 30000 });
  await page.waitForFunction(() => / s for 1,000 dishes/.test(document.querySelector('[data-scale=time]').textContent), null, { timeout: 30000 });
  await page.waitForFunction((s) => document.querySelector('#chapter-7 [data-invented-share]').dataset.inventedShare !== s, before.share, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-sensei-dial]'), null, { timeout: 30000 });
  assert.deepEqual(await heights(), still, 'no layout jumps while training');
  await page.waitForFunction(() => /^20,000 \/ 20,000/.test(document.querySelector('[data-counter=step]').textContent), null, { timeout: 40000 });
  await page.waitForSelector('[data-solo-done]', { timeout: 10000 });
  const seenSteps = (await recordedTexts(page, '[data-sensei-step]')).map((t) => Number(t.replace(/\D/g, '')));
  assert.ok(seenSteps.some((x) => x > 0 && x < 20000), `chapter 6 showed dishes mid-run: ${seenSteps.join(', ')}`);
  // every view's last refresh after the run is in
  await kitchenAt(page, { state: 'done', step: 20000 });
  await viewsCurrent(page);
  assert.deepEqual(await heights(), still, 'no layout jumps after training');
  // trained figures
  assert.equal(await text('[data-sensei-step]'), '20,000');
  assert.deepEqual(await page.$$eval('[data-milestone]', (m) => m.map((e) => e.dataset.milestone)), ['1', '100', '500', '20000']);
  assert.ok(Number(await attr('.sensei-history', 'data-samples')) >= 2, 'the followed dial was sampled during the run');
  assert.match(await text('[data-sensei-median]'), /^\d/);
  assert.equal(Number(await attr('.sensei-lr', 'data-lr')), 0);
  assert.ok(Number(await text('[data-trace-loss]')) < Number(before.loss), 'trained, "emma" costs less');
  assert.match(await text('[data-scale=time]'), /^\d+\.\d\d s for 1,000 dishes on this device$/);
  // a small turn of the trained Ming's top dial (the tracing read after the
  // run, not one from mid-run; the nudge test above left the amount at 0.1)
  await page.waitForFunction(() => document.querySelector('[data-trace-step]').textContent === '20,000', null, { timeout: 30000 });
  await page.selectOption('#trace-amount', '0.01');
  const earlier = await attr('[data-nudge-measured]', 'data-nudge-measured');
  await page.click('[data-action=nudge]');
  await page.waitForFunction((e) => !['', e].includes(document.querySelector('[data-nudge-measured]').dataset.nudgeMeasured), earlier);
  const predicted = Number(await attr('[data-nudge-predicted]', 'data-nudge-predicted'));
  const measured = Number(await attr('[data-nudge-measured]', 'data-nudge-measured'));
  assert.ok(Math.abs(predicted - measured) <= 0.1 * Math.abs(predicted) + 1e-5, `${predicted} vs ${measured}`);
  // trained, a bold dial invents more than a safe one
  const shareAt = async (t) => {
    await page.$eval('#service-temperature', (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, t);
    await page.waitForFunction((v) => document.querySelector('[data-service-temperature]').dataset.serviceTemperature === String(v), t);
    await page.waitForFunction((v) => document.querySelector('#chapter-7 [data-invented-share]').dataset.shareTemperature === String(v), t);
    return Number(await attr('#chapter-7 [data-invented-share]', 'data-invented-share'));
  };
  const safe = await shareAt(0.1), bold = await shareAt(1.5);
  assert.ok(bold > safe, `invented at 1.5 (${bold}) > at 0.1 (${safe})`);
  await shareAt(0.5);
  await screenshots('');
  noErrors(page);
});

test('the wall of dials alone: renders, reads a dial, moves while Ming trains', async () => {
  const w = await browser.newPage();
  await w.goto(`${url}embed.html?w=dials`);
  await w.waitForSelector('[data-dials-step]', { timeout: 20000 });
  assert.equal(await w.textContent('[data-dials-step]'), '0');
  assert.match(await w.textContent('.dial-wall figcaption'), /0\.30/);
  // a click on the wall names the dial
  const box = await w.locator('.dial-wall > canvas').boundingBox();
  await w.mouse.click(box.x + 3, box.y + 16);
  await w.waitForSelector('[data-dial-picked="0"]');
  assert.match(await w.textContent('[data-dial-picked]'), /dial #0 = wte\[0\]\[0\]/);
  for (const v of ['abc', '4192', '']) {
    await w.fill('#dials-pick', v);
    assert.match(await w.textContent('#dials-pick-msg'), /dial/);
  }
  await w.fill('#dials-pick', '4191');
  assert.match(await w.textContent('[data-dial-picked]'), /dial #4191 = layer0\.mlp_fc2\[15\]\[63\] \(table\[row\]\[column\], from 0\) = [+-]\d\.\d{5}/);
  const value = await w.getAttribute('[data-dial-picked]', 'data-dial-value');
  await w.evaluate(() => globalThis.mingsKitchenRequest('start', { steps: 20000 }));
  await w.waitForFunction(() => Number(document.querySelector('[data-dials-step]').textContent.replace(/\D/g, '')) > 0, null, { timeout: 30000 });
  await w.waitForFunction((v) => document.querySelector('[data-dial-picked]').dataset.dialValue !== v, value, { timeout: 30000 });
  await w.evaluate(() => globalThis.mingsKitchenRequest('pause'));
  for (const width of [1280, 360]) {
    await w.setViewportSize({ width, height: 900 });
    await rendered(w);
    assert.equal(await w.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `no overflow at ${width}`);
    await w.screenshot({ path: shotPath(`dials-${width}.png`), fullPage: true });
  }
  noErrors(w);
  await w.close();
});
