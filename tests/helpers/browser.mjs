// browser.mjs - Debian's Chromium, headless, driven by playwright-core, with
// a fresh profile; each page records console errors, page errors and
// requests, so tests can assert none went wrong or left the origin.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { screenshots } from './paths.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A browser context; extraArgs e.g. ['--disable-features=TrackingProtection3pcd']. */
export async function openBrowser({ extraArgs = [], viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'mg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs], viewport,
  });
  return {
    context,
    async newPage(vp = viewport) {
      const page = await context.newPage();
      await page.setViewportSize(vp);
      return watch(page);
    },
    async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Records what went wrong on a page: page.problems.{console, errors, failed, requests}. */
export function watch(page) {
  const p = { console: [], warnings: [], errors: [], failed: [], requests: [], framedRequests: [], notFound: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') p.console.push(m.text());
    else if (m.type() === 'warning') p.warnings.push(m.text());
  });
  page.on('pageerror', (e) => p.errors.push(e.message));
  page.on('requestfailed', (r) => p.failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    p.requests.push(r.url());
    let frame = null;
    try { frame = r.frame(); } catch { /* a worker's request */ }
    // not made by the page's own document: by a frame inside it or a
    // dedicated worker (a SharedWorker's requests are not seen here)
    if (frame !== page.mainFrame()) p.framedRequests.push(r.url());
  });
  page.on('response', (r) => { if (r.status() >= 400) p.notFound.push(`${r.status()} ${r.url()}`); });
  page.problems = p;
  return page;
}

export function shotPath(name) {
  mkdirSync(screenshots, { recursive: true });
  return path.join(screenshots, name);
}

/** A screenshot of the whole page with its cross-origin frames painted:
 * Chromium's fullPage capture leaves frames of another process blank below
 * the fold, so the viewport is made as tall as the page for the shot (every
 * frame paints once more) and given back after. */
export async function framedShot(page, name) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const f of page.frames()) await f.evaluate(painted).catch(() => {}); // a frame gone meanwhile
  await page.screenshot({ path: shotPath(name) });
  await page.setViewportSize(viewport);
}

/** Requests that went anywhere but these origins (data: and blob: are local). */
export const foreignRequests = (page, ...origins) => outside(page.problems.requests, origins);
/** The same for requests made inside the page's frames and workers only. */
export const foreignFrameRequests = (page, ...origins) => outside(page.problems.framedRequests, origins);
const outside = (urls, origins) => urls.filter((u) => !/^(data|blob):/.test(u) && !origins.some((o) => u.startsWith(o)));

/** Starts recording, in the page, every text the element at selector shows
 * (a run at the engine's speed can be over between two polls); read them
 * back with recordedTexts. */
export function recordTexts(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const log = (window.__recorded ??= {})[sel] = [];
    new MutationObserver(() => log.push(el.textContent)).observe(el, { childList: true, subtree: true, characterData: true });
  }, selector);
}
export const recordedTexts = (page, selector) => page.evaluate((sel) => window.__recorded?.[sel] ?? [], selector);
