// wait.mjs - waits on the page's or the kitchen's state, never on a clock:
// a loaded machine makes every fixed sleep too short some day. The timeouts
// here are safety nets only (generous), with a message saying what never came.
// Each helper takes a Playwright page or frame.

export const TIMEOUT = 30000;

/** A request to the kitchen of the page or widget (globalThis.mingsKitchenRequest,
 * on the main page and in embed.html): its reply. */
export const ask = (target, type, fields = {}) =>
  target.evaluate(([t, f]) => globalThis.mingsKitchenRequest(t, f), [type, fields]);

/** Waits for fn(arg), run in the page, to be truthy (fn must not return a
 * promise: see untilAsync); on timeout, says what was awaited. */
export async function until(target, fn, arg, what, { timeout = TIMEOUT, polling = 'raf' } = {}) {
  try {
    return await target.waitForFunction(fn, arg, { timeout, polling });
  } catch (err) {
    throw new Error(`waited ${timeout} ms for ${what}: ${err.message.split('\n')[0]}`);
  }
}

/** The same for fn(arg) returning a promise (waitForFunction would take the
 * promise itself for a yes): asked again every `every` ms until it resolves
 * truthy; returns that value. */
export async function untilAsync(target, fn, arg, what, { timeout = TIMEOUT, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    try { last = await target.evaluate(fn, arg); } catch (err) { last = err.message.split('\n')[0]; }
    if (last && typeof last !== 'string') return last;
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}${typeof last === 'string' ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, every)); // the poll's pace, not a wait for the page
  }
}

/** Waits until the kitchen's status matches every field of want (e.g.
 * {state: 'done', step: 1000}) and returns that status. */
export const kitchenAt = (target, want, opts) => untilAsync(target, async (w) => {
  const st = await globalThis.mingsKitchenRequest?.('status');
  return st && Object.entries(w).every(([k, v]) => st[k] === v) ? st : null;
}, want, `the kitchen at ${JSON.stringify(want)}`, opts);

const label = (sel, attr) => `${sel}${attr ? ` (${attr})` : ''}`;

/** Waits until the text (or attribute) at sel differs from before; returns the new value. */
export async function changed(target, sel, before, { attr, ...opts } = {}) {
  const h = await until(target, ([s, a, b]) => {
    const el = document.querySelector(s);
    const v = !el ? null : a ? el.getAttribute(a) : el.textContent;
    return v !== null && v !== b ? { v } : null;
  }, [sel, attr ?? null, before], `${label(sel, attr)} to change from ${JSON.stringify(before)}`, opts);
  return (await h.jsonValue()).v;
}

/** Waits until the text (or attribute) at sel equals want (a string) or
 * matches it (a RegExp); on timeout the error says what it showed. */
export async function shows(target, sel, want, { attr, ...opts } = {}) {
  const re = want instanceof RegExp ? [want.source, want.flags] : null;
  const read = ([s, a]) => {
    const el = document.querySelector(s);
    return !el ? null : a ? el.getAttribute(a) : el.textContent;
  };
  try {
    await until(target, ([s, a, w, r]) => {
      const el = document.querySelector(s);
      const v = !el ? null : a ? el.getAttribute(a) : el.textContent;
      return v !== null && (r ? new RegExp(r[0], r[1]).test(v) : v === w);
    }, [sel, attr ?? null, re ? null : want, re], `${label(sel, attr)} to show ${want}`, opts);
  } catch (err) {
    const last = await target.evaluate(read, [sel, attr ?? null]).catch(() => '(unreadable)');
    throw new Error(`${err.message}; it shows ${JSON.stringify(last)}`);
  }
}

/** The names the trainer shows, joined by spaces. */
export const shownNames = (target) =>
  target.$$eval('li[data-mark] .dish', (els) => els.map((e) => e.textContent).join(' '));

/** Waits until the trainer shows other names than before (a string from shownNames). */
export const namesChanged = (target, before, opts) => until(target, (b) => {
  const els = document.querySelectorAll('li[data-mark] .dish');
  return els.length > 0 && [...els].map((e) => e.textContent).join(' ') !== b;
}, before, 'the trainer to show new names', opts);

/** Resolves once the page has rendered n more animation frames: a resize's
 * observers have run and the re-render they caused is laid out and painted.
 * (An event of the page, later on a loaded machine, not a fixed time.) */
export const rendered = (target, n = 2) => target.evaluate((k) => new Promise((resolve) => {
  const f = () => (--k > 0 ? requestAnimationFrame(f) : resolve());
  requestAnimationFrame(f);
}), n);

// Texts a view shows while it waits for its chunk or the kitchen.
const PLACEHOLDERS = /Opening the (view|kitchen)…|Asking Ming…|Reading the records…|Counting…/;

/** Waits until every view of the page or widget has loaded and shows the
 * kitchen's answers (no placeholder left), and the kitchen answers a request.
 * (The app has rendered once #app holds more than its noscript line: a page
 * may render after its load event, its link read first.) */
export async function opened(target, opts) {
  await until(target, (re) => !!document.querySelector('#app > :not(noscript)') && !new RegExp(re).test(document.body.textContent)
    && ![...document.querySelectorAll('[data-fresh-penalty]')].some((e) => e.textContent === '…'),
  PLACEHOLDERS.source, 'every view to load and show the kitchen\'s answers', { polling: 100, ...opts });
  await kitchenAt(target, {}, opts);
}

/** Waits until every element of selectors is within the margin the chapters
 * use to wake their views (Chapter.jsx: 200px) of the viewport, or, with
 * want false, none is. The chapters' observers were made earlier than this
 * one and hear the news in the same task, first. */
export const inView = (target, selectors, want = true, opts) => untilAsync(target, ([sels, w]) => new Promise((resolve) => {
  const els = sels.map((s) => document.querySelector(s));
  if (els.some((e) => !e)) { resolve(false); return; }
  const seen = new Map();
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) seen.set(e.target, e.isIntersecting);
    if (seen.size === els.length) { io.disconnect(); resolve([...seen.values()].every((v) => v === w)); }
  }, { rootMargin: '200px 0px' });
  for (const e of els) io.observe(e);
}), [selectors, want], `${selectors.join(', ')} ${want ? 'in' : 'out of'} view`, opts);

/** Waits until the live views inside root (the whole page by default) show
 * the kitchen's dials as they are now: call it while the dials stand still
 * (idle, paused, done). Checked where a view has it on show: the dish of its
 * snapshot (chapters 2, 5, 6, the wall of dials), or a figure the kitchen
 * computes again for the same name (chapters 1, 3, 4, 5). */
export const viewsCurrent = (target, root = 'body', opts) => untilAsync(target, async (r) => {
  const ask = globalThis.mingsKitchenRequest;
  const box = document.querySelector(r);
  if (!box || !ask) return false;
  const q = (s) => box.querySelector(s);
  const st = await ask('status');
  const dish = st.step.toLocaleString('en-US');
  const ok = [];
  for (const sel of ['[data-sensei-step]', '[data-trace-step]', '[data-dials-step]'])
    if (q(sel)) ok.push(q(sel).textContent === dish);
  if (q('[data-step]')) ok.push(q('[data-step]').dataset.step === String(st.step));
  const lossOf = (name) => ask('nameLoss', { name });
  if (q('[data-scored-name]') && q('[data-name-loss]'))
    ok.push(q('[data-name-loss]').dataset.nameLoss === (await lossOf(q('[data-scored-name]').dataset.scoredName)).toFixed(6));
  for (const k of ['a', 'b']) {
    const el = q(`[data-pair-loss=${k}]`);
    if (el) ok.push(el.textContent === (await lossOf(el.dataset.name)).toFixed(3));
  }
  const trace = q('[data-trace-loss]');
  if (trace) {
    const name = trace.closest('.trace-loss').textContent.match(/"([^"]*)"/)?.[1];
    ok.push(name !== undefined && trace.textContent === (await lossOf(name)).toFixed(4));
  }
  const line = q('.line[data-prefix]');
  if (line) {
    // head 0's weights for the last course: attention[layer 0][head 0][p][0..p]
    const a = await ask('inspect', { text: line.dataset.prefix });
    const n = a.n, p = n - 1;
    const cells = [...line.querySelectorAll('[data-head="0"] [data-weight]')].map((c) => c.dataset.weight);
    ok.push(cells.length === n && cells.every((w, i) => w === a.attention[p * n + i].toFixed(4)));
  }
  return ok.every(Boolean);
}, root, `the views in ${root} to show the kitchen's dials as they are now`, { every: 100, ...opts });
