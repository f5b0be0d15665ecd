// readme-shots.mjs - `make readme-shots`: the pictures in README, taken from
// the built site in headless Chromium. The embeddable views ("Embed it in
// your post", web/readme/ID.png): each widget alone, 640 px wide, with its
// default options, the top 900 px of it. The features of the page
// (web/readme/feature-NAME.png): the page 1280 px wide, light, each picture
// cropped to its feature, taken once the page shows what it is about.
// `node tests/readme-shots.mjs features` (or `widgets`) takes one set only.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './helpers/paths.mjs';
import { serveSite } from './helpers/server.mjs';
import { openBrowser } from './helpers/browser.mjs';
import { opened, rendered, viewsCurrent, kitchenAt, shows, untilAsync } from './helpers/wait.mjs';
import { openPage, press } from './helpers/page.mjs';

const { WIDGET_IDS } = await import(pathToFileURL(path.join(root, 'web/src/embed/options.js')));
const out = path.join(root, 'web/readme');
const WIDTH = 640, MAX_HEIGHT = 900;

mkdirSync(out, { recursive: true });
const site = await serveSite();
const browser = await openBrowser();
const only = process.argv[2]; // 'features' or 'widgets': one set only
try {
  for (const id of only === 'features' ? [] : WIDGET_IDS) {
    const page = await browser.newPage({ width: WIDTH, height: MAX_HEIGHT });
    await page.goto(`${site.url}embed.html?w=${id}&theme=light`);
    await page.waitForSelector(`[data-view="${id}"], .trainer`, { timeout: 20000 });
    await page.waitForFunction(() => globalThis.mingsKitchenRequest, null, { timeout: 20000 });
    // the kitchen open, every view showing its answers for the dials as they
    // are, the trainer's names drawn, a dish cooked solo served, then painted
    await opened(page);
    await viewsCurrent(page);
    if (id === 'trainer') await page.waitForSelector('li[data-mark]', { timeout: 20000 });
    if (id === 'service') await page.waitForSelector('[data-solo-done]', { timeout: 20000 });
    await rendered(page);
    const height = await page.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const file = path.join(out, `${id}.png`);
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: WIDTH, height: Math.min(height, MAX_HEIGHT) } });
    if (page.problems.console.length || page.problems.errors.length)
      throw new Error(`${id}: ${[...page.problems.console, ...page.problems.errors].join('; ')}`);
    console.log(`${path.relative(root, file)} (${height} px of content)`);
    await page.close();
  }
  if (only !== 'widgets') await featureShots();
} finally {
  await browser.close();
  await site.close();
}

/** The page's features, each cropped to itself (README, "Make Ming yours"). */
async function featureShots() {
  const page = await openPage(browser, `${site.url}?pace=instant`, { width: 1280, height: 2400 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const shot = async (name, sel) => {
    const el = page.locator(sel).first();
    await el.scrollIntoViewIfNeeded();
    await rendered(page);
    const file = path.join(out, `feature-${name}.png`);
    await el.screenshot({ path: file });
    console.log(path.relative(root, file));
  };
  // the proof: Karpathy's run, trained and checked
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await shows(page, '[data-proof]', /^Same as/);
  await shot('proof', '[data-proof]');
  // the records and the size: the setup panel opened
  await page.locator('[data-setup-panel] summary').click();
  await shot('records', '.setup-records');
  await shot('size', '.setup-size');
  // the link: Copy link's address
  await press(page, 'copy-link');
  await page.waitForSelector('[data-link-url]');
  await shot('link', '.copy-link');
  // his dials in a file: Ming saved, then loaded into a page of other
  // records, which offers the switch
  const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'save-ming')]);
  await shows(page, '[data-file-said]', /^Saved /);
  const tmp = mkdtempSync(path.join(tmpdir(), 'mg-shots-'));
  const saved = path.join(tmp, download.suggestedFilename());
  await download.saveAs(saved);
  const other = await openPage(browser, `${site.url}?v=1&records=us-2018&pace=instant`, { width: 1280, height: 2400 });
  await other.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await kitchenAt(other, {});
  await untilAsync(other, async () => (await globalThis.mingsKitchenRequest('info')).records.preset === 'us-2018', null, 'the US list open');
  await other.setInputFiles('[data-file-input]', saved);
  rmSync(tmp, { recursive: true, force: true });
  await other.waitForSelector('[data-action=switch-load]');
  await other.locator('.ming-file').scrollIntoViewIfNeeded();
  await rendered(other);
  await other.locator('.ming-file').screenshot({ path: path.join(out, 'feature-file.png') });
  console.log('web/readme/feature-file.png');
  await other.close();
  // two runs side by side: seed 42 against seed 7
  const bDone = () => untilAsync(page, async () => {
    const st = await globalThis.mingsKitchenRequest('companionStatus');
    return st.open && st.state === 'done' ? st : null;
  }, null, 'run B done');
  await press(page, 'compare');
  await page.fill('#compare-seed', '7');
  await press(page, 'train-b');
  await bDone();
  await shows(page, '[data-compare] .compare-chart', '1000', { attr: 'data-drawn-b' });
  await shot('compare', '[data-compare]');
  // Grow Ming (chapter 8): a new page, both sizes trained side by side
  await page.close();
  const grow = await openPage(browser, `${site.url}?pace=instant`, { width: 1280, height: 2400 });
  await grow.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await grow.locator('[data-grow]').scrollIntoViewIfNeeded();
  await grow.waitForSelector('[data-grow] [data-action=grow]:not([disabled])', { timeout: 30000 });
  await press(grow, 'grow', '[data-grow]');
  await kitchenAt(grow, { state: 'done', step: 1000 });
  await shows(grow, '[data-grow] .compare-chart', '1000', { attr: 'data-drawn-b' });
  await rendered(grow);
  const file = path.join(out, 'feature-grow.png');
  await grow.locator('[data-grow]').screenshot({ path: file });
  console.log(path.relative(root, file));
  for (const p of [page, grow]) {
    if (p.problems.console.length || p.problems.errors.length)
      throw new Error(`features: ${[...p.problems.console, ...p.problems.errors].join('; ')}`);
  }
  await grow.close();
}
