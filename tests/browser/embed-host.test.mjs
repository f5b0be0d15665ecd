// embed.js on a post of another origin: a height over the cap, even one the
// widget's own frame sends, is clamped to the cap (the frame keeps showing
// its top), not ignored and not taken as given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../helpers/paths.mjs';
import { serveSite, serveBlog } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';

let site, blog;
before(async () => { site = await serveSite(); blog = await serveBlog(site.origin); });
after(async () => { await blog?.close(); await site?.close(); });

// the cap as embed.js states it (one place); the forged height is far above it
const CAP = Number(readFileSync(path.join(root, 'web/public/embed.js'), 'utf8').match(/var MAX_HEIGHT = (\d+);/)[1]);
const FORGED = 10 ** 7;

test('a widget frame that reports a height over the cap gets the cap', async () => {
  assert.ok(CAP >= 4000 && CAP < FORGED, `cap ${CAP}`);
  const browser = await openBrowser();
  try {
    const page = await browser.newPage({ width: 900, height: 900 });
    await page.goto(blog.url);
    await page.waitForFunction(() => [...document.querySelectorAll('iframe')].some((f) => f.src.includes('w=line')));
    const line = await page.$('[data-mings-kitchen="line"] iframe');
    await line.scrollIntoViewIfNeeded();
    const frame = await line.contentFrame();
    await frame.waitForSelector('[data-view="line"]', { timeout: 30000 });
    // the widget has reported its own height: embed.js listens to this frame
    await page.waitForFunction((el) => el.style.height !== '480px', line, { timeout: 30000 });
    // every height embed.js gives the frame, so that none is missed when the widget reports again
    await page.evaluate((el) => {
      window.__heights = [];
      new MutationObserver((records) => {
        for (const r of records) window.__heights.push(el.style.height);
      }).observe(el, { attributes: true, attributeFilter: ['style'] });
    }, line);
    await frame.evaluate((h) => window.parent.postMessage({ type: 'mings-kitchen:height', height: h }, '*'), FORGED);
    await page.waitForFunction((cap) => window.__heights.includes(`${cap}px`), CAP, { timeout: 20000 });
    const given = await page.evaluate(() => window.__heights.map((h) => parseFloat(h)));
    assert.ok(given.every((h) => h <= CAP), `never over the cap: ${given}`);
    // a negative or non-numeric height is still ignored
    await page.evaluate(() => { window.__heights = []; });
    await frame.evaluate(() => {
      for (const height of [-5, 'tall', null, '', false, NaN])
        window.parent.postMessage({ type: 'mings-kitchen:height', height }, '*');
      window.parent.postMessage({ type: 'mings-kitchen:height', height: 23 }, '*');
    });
    // the last message is a good one: once it is applied, the ones before it were seen and ignored
    // (null, '' and false are no height: before, they collapsed the frame to 0 px)
    await page.waitForFunction(() => window.__heights.includes('23px'), null, { timeout: 20000 });
    const after = await page.evaluate(() => window.__heights);
    assert.deepEqual(after.filter((h) => !(parseFloat(h) >= 23)), [], `heights given: ${after}`);
    // Infinity, and a string past the largest number, are over the cap: clamped, not ignored
    for (const height of [Infinity, '1e999']) {
      await page.evaluate(() => { window.__heights = []; });
      // from a small height each time, so that the cap is a change embed.js makes
      await frame.evaluate(() => window.parent.postMessage({ type: 'mings-kitchen:height', height: 23 }, '*'));
      await page.waitForFunction((el) => el.style.height === '23px', line, { timeout: 20000 });
      await frame.evaluate((h) => window.parent.postMessage({ type: 'mings-kitchen:height', height: h === 'Infinity' ? Infinity : h }, '*'),
        height === Infinity ? 'Infinity' : height);
      await page.waitForFunction((cap) => window.__heights.includes(`${cap}px`), CAP, { timeout: 20000 });
    }
    await page.close();
  } finally {
    await browser.close();
  }
});
