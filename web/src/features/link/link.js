// link.js - the page's state in its URL (the format is format.js's): read
// once as the page opens (its fields set before the kitchen opens; the run
// then trained to the link's dish, so a fresh browser shows the same Ming),
// then kept current: a change of seed, dishes, risk dial, pace, the dish or a
// typed name replaces the history entry; a chapter (the hash) pushes one, as
// any in-page link does. The format is its own chunk, loaded when there is a
// link to read or a change to write: a page opened with no link and left as
// it is needs none of it (the first page weight).
import { signal, effect, batch } from '@preact/signals';
import { isCooking } from '../../state/store.js';
import { UI_SEED } from '../../limits.js';
import { sameSize } from './sameSize.js';

const format = () => import('./format.js');
// performance marks of the link's opening ('link:read', ...), read by the bench (tests/bench.mjs linkBench)
const mark = (what) => { try { performance.mark(`link:${what}`); } catch { /* old browser */ } };

// the URL follows the page this long after its last change (a slider's
// drag is one history entry, and Chromium refuses a flood of replaceState)
const WRITE_DELAY_MS = 250;

/**
 * The page's link on store and actions. views: the chapter views whose typed
 * names the link keeps. Returns {notes, names, read(), rebuild(), href(), ...}.
 */
export function createLink(store, actions, { views }) {
  const link = {
    notes: signal([]),    // what the opened link had that could not be used
    names: {},            // the names the link opened the views on, by view id
    typed: signal({}),    // the names typed in the views since, by view id
    state: {},            // the link as opened
    leftOut: signal(null), // 'records' when own records were too big to carry
  };
  const started = {};     // the name each view started on
  let opening = null;     // the records' hash and the size the page opened with
  let rebuilding = null;  // rebuild.js, for a link that carries a run

  /** Reads the page's URL and sets what it says; call before actions.open(). */
  link.read = async () => {
    let read = { state: {}, notes: [] }; // no query: no link (a chapter's hash alone is an in-page anchor)
    if (location.search) try {
      const { decodeLink } = await format();
      read = await decodeLink(location.search, location.hash, { views });
    } catch (err) {
      read = { state: {}, notes: [`This link could not be read (${err.message}), so the page opens with the defaults.`] };
    }
    const { state, notes } = read;
    mark('read');
    if (state.at > 0 || state.records || state.config) {
      rebuilding = import('./rebuild.js');
      rebuilding.catch(() => {}); // said when rebuild awaits it
    }
    link.state = state;
    batch(() => {
      if (state.seed !== undefined && !actions.setSeed(state.seed))
        notes.push(`seed=${state.seed} is not a seed the trainer takes (${UI_SEED.min} to ${UI_SEED.max}). Using ${UI_SEED.default}.`);
      if (state.steps !== undefined) store.numSteps.value = state.steps;
      if (state.temperature !== undefined) store.temperature.value = state.temperature;
      if (state.pace !== undefined) store.pace.value = state.pace;
      // records and size are set once the kitchen is open (link.rebuild), so
      // that ones the engine refuses give a note, not a kitchen that fails to open
      link.notes.value = notes;
    });
    link.names = { ...(state.names ?? {}) };
    link.typed.value = { ...link.names };
    return state;
  };

  /** Once the kitchen is open: trains the link's run to its dish and shows the
   * dish it showed. A kitchen that failed to open gets a Retry that opens it
   * and then cooks the link's run (the banner's Retry, ErrorBanner.jsx). */
  link.rebuild = async () => {
    if (store.phase.value === 'failed' && store.error.value && store.error.value.retry !== null) {
      store.error.value = { ...store.error.value, retry: async () => { await actions.open(); await link.rebuild(); } };
      return;
    }
    // what the page opens with: a link names records and size only when they differ
    opening = { hash: store.records.value.hash, config: { ...store.config.value } };
    // a link that carries a run: cooked by rebuild.js (its chunk asked for as the link was read)
    if (rebuilding) {
      try { await (await rebuilding).rebuildRun({ store, actions, link, mark }); } catch (err) {
        store.error.value = { message: `The link's run could not be cooked: ${err.message}` };
      }
    }
    follow();
  };

  /** A view's name, as the view reports it (its first report is where it started). */
  link.setName = (id, name) => {
    started[id] ??= name;
    const next = { ...link.typed.value };
    if (name === started[id] && !(id in link.names)) delete next[id];
    else next[id] = name;
    link.typed.value = next;
  };

  // the state now, in the format's terms
  const current = () => {
    const st = store.state.value;
    const chapter = decodeURIComponent(location.hash.slice(1));
    return {
      seed: store.seed.value, steps: store.numSteps.value, temperature: store.temperature.value, pace: store.pace.value,
      at: store.step.value, view: store.view.value ?? undefined, names: link.typed.value, chapter, cooking: isCooking(st),
      records: store.records.value.hash !== opening?.hash ? store.records.value : undefined,
      config: opening && !sameSize(store.config.value, opening.config) ? store.config.value : undefined,
    };
  };

  /** The full link to this Ming, as it is now: {url, leftOut}. */
  link.href = async () => {
    const { encodeLink } = await format();
    const { href, leftOut } = await encodeLink(current());
    link.leftOut.value = leftOut;
    return { url: new URL(href, location.href).href, leftOut };
  };

  // keep the URL current: the dish only when Ming rests (a run's every
  // progress event would be a history write), the rest as it changes
  // (a page opened with no link writes none until its state changes: the
  // address it has says as much, and the format stays unloaded)
  let timer = null, written = null, restAt = 0, unchanged = null, following = false;
  const again = signal(0);
  const stateKey = ({ chapter, cooking, ...rest }) => JSON.stringify(rest);
  function follow() {
    if (following) return;
    following = true;
    effect(() => {
      again.value;
      const now = current();
      if (!now.cooking) restAt = now.at;
      now.at = restAt;
      clearTimeout(timer);
      if (unchanged === null && !location.search) unchanged = stateKey(now);
      if (unchanged !== null && stateKey(now) === unchanged && !location.search) return;
      unchanged = '';
      timer = setTimeout(async () => {
        const { encodeLink } = await format();
        const { href } = await encodeLink(now);
        const url = href.split('#')[0] + location.hash;
        if (url === written) return;
        written = url;
        history.replaceState(history.state, '', url);
      }, WRITE_DELAY_MS);
    });
    // back or forward to an older entry: the page's state is what it shows, so that entry says so
    addEventListener('popstate', () => { written = null; again.value++; });
  }
  return link;
}
