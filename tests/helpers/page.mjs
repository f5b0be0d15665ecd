// page.mjs - the steps the page tests share: open the page (or a widget) and
// wait for its kitchen, press a control as the reader does, and check that
// nothing went wrong on the page. Waits on the page's state, never a clock.
import assert from 'node:assert/strict';
import { kitchenAt } from './wait.mjs';

// a window tall enough for every view (views off screen rest until scrolled to)
export const TALL = { width: 1280, height: 16000 };

/** Opens url in a new page of browser (openBrowser's), once the trainer shows
 * names and the kitchen answers. */
export async function openPage(browser, url, viewport = TALL) {
  const page = await browser.newPage(viewport);
  await page.goto(url);
  await page.waitForSelector('li[data-mark]', { timeout: 30000, state: 'attached' });
  await kitchenAt(page, {});
  return page;
}

/** No console error and no page error so far. */
export function noErrors(page) {
  assert.deepEqual(page.problems.console, [], 'no console errors');
  assert.deepEqual(page.problems.errors, [], 'no page errors');
}

/** Clicks the control [data-action=action] (inside scope, if given) of a
 * page or a frame: the click event a reader's click gives, sent to the
 * control itself. A mouse click is aimed at where the control was, and it
 * moves: a tall page's views settle, and a widget in a post moves whenever a
 * widget above it changes height (embed.js follows each one's content; a
 * Retry aimed so was seen landing nowhere). */
export const press = (page, action, scope = '') =>
  page.$eval(`${scope ? `${scope} ` : ''}[data-action=${action}]`, (b) => b.click());
