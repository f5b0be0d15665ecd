// readme-shots.mjs - `make readme-shots`: the picture of each embeddable view
// in README's "Embed it in your post" (web/readme/ID.png), taken from the
// built site in headless Chromium: each widget alone, 640 px wide, with its
// default options, the top 900 px of it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './helpers/paths.mjs';
import { serveSite } from './helpers/server.mjs';
import { openBrowser } from './helpers/browser.mjs';
import { opened, rendered, viewsCurrent } from './helpers/wait.mjs';

const { WIDGET_IDS } = await import(pathToFileURL(path.join(root, 'web/src/embed/options.js')));
const out = path.join(root, 'web/readme');
const WIDTH = 640, MAX_HEIGHT = 900;

mkdirSync(out, { recursive: true });
const site = await serveSite();
const browser = await openBrowser();
try {
  for (const id of WIDGET_IDS) {
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
} finally {
  await browser.close();
  await site.close();
}
