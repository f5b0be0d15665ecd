// widget.jsx - embed.html?w=ID: one view alone, sized to its content, in a
// kitchen shared with the other widgets of this origin on the page.
import { render } from 'preact';
import { effect, signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { StoreContext } from '../state/store.js';
import { createKitchenApp } from '../state/actions.js';
import { kitchenUrls, retryUrls } from '../kitchen/urls.js';
import { ErrorBanner } from '../views/ErrorBanner.jsx';
import { Warming } from '../views/shared/Warming.jsx';
import { Chapter } from '../views/shared/Chapter.jsx';
import { LazyView } from '../views/shared/LazyView.jsx';
import { views } from '../views/registry.js';
import { parseOptions, nameNote, WIDGET_IDS } from '../embed/options.js';
import { connectKitchen } from '../embed/connect.js';
import { ViewBanner } from '../views/trainer/Timeline.jsx';

const urls = kitchenUrls(import.meta.url);
const opts = parseOptions(location.search);
if (opts.theme !== 'auto') document.documentElement.dataset.theme = opts.theme;
document.documentElement.dataset.bg = opts.bg; // transparent: no box on the post (styles.css)

/** Tells the host page our height whenever it changes: the only message we send it.
 * ResizeObserver alone is not enough: browsers pause rendering (and with it
 * resize observations) in off-screen cross-origin frames, so DOM changes are
 * measured too, and a slow timer catches anything else. */
function useReportHeight(ref) {
  useEffect(() => {
    if (window.parent === window) return undefined;
    let last = -1;
    const send = () => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        document.documentElement.dataset.reportedHeight = String(height);
        window.parent.postMessage({ type: 'mings-kitchen:height', height }, '*');
      }
    };
    const ro = new ResizeObserver(send);
    ro.observe(ref.current);
    ro.observe(document.documentElement);
    let queued = 0;
    const mo = new MutationObserver(() => { if (!queued) queued = setTimeout(() => { queued = 0; send(); }, 16); });
    mo.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    const timer = setInterval(send, 1000);
    send();
    return () => { ro.disconnect(); mo.disconnect(); clearInterval(timer); clearTimeout(queued); };
  }, []);
}

// the options' notes, and name='s once the kitchen is open (its model judges it)
const nameNoted = signal(null);
function Notes({ notes }) {
  if (nameNoted.value) notes = [...notes, nameNoted.value];
  if (!notes.length) return null;
  return <ul class="widget-notes" data-notes>{notes.map((n) => <li>{n}</li>)}</ul>;
}

/** The trainer joining a kitchen that already cooked says so, until the
 * run's state changes (the reader's Train again, Resume or Reset; another
 * widget's). joined: the kitchen's {state, step, numSteps} when this widget
 * first had it open. */
const JOIN_NOTE = {
  done: (s, n) => `Ming has already cooked ${fmt(s)} dishes for this post. Train again starts a new run.`,
  stopped: (s, n) => `Ming has already cooked ${fmt(s)} of ${fmt(n)} dishes for this post, and was stopped. Train again starts a new run.`,
  paused: (s, n) => `Ming has already cooked ${fmt(s)} of ${fmt(n)} dishes for this post. Resume goes on from there; Reset starts over.`,
  training: (s, n) => `Ming is already cooking for this post (${fmt(n)} dishes): Pause stops him where he is.`,
  warming: (s, n) => `Ming is already cooking for this post (${fmt(n)} dishes): Pause stops him where he is.`,
};
const fmt = (n) => n.toLocaleString('en-US');
function JoinedNote({ store, joined }) {
  const j = joined.value;
  if (!j || store.state.value !== j.state) return null;
  return <p class="widget-joined note" data-joined={j.state} role="status">{JOIN_NOTE[j.state](j.step, j.numSteps)}</p>;
}

function UnknownWidget({ raw }) {
  return (
    <div class="widget-unknown" data-unknown-widget>
      <p><strong>{raw ? `There is no view called “${raw}”.` : 'This embed needs a view: add ?w= and an ID.'}</strong> The views are:</p>
      <ul>{WIDGET_IDS.map((id) => <li><code>{id}</code>{views[id] ? ` – ${views[id].title}` : ''}</li>)}</ul>
    </div>
  );
}

function Widget({ app }) {
  const ref = useRef(null);
  useReportHeight(ref);
  const view = opts.id && views[opts.id];
  return (
    <div class="widget" ref={ref}>
      <Notes notes={opts.notes} />
      {!view ? <UnknownWidget raw={opts.rawId} /> : (
        <StoreContext.Provider value={app.store}>
          <ErrorBanner actions={app.actions} />
          <Warming />
          <ViewBanner actions={app.actions} />
          {opts.id === 'trainer' && <JoinedNote store={app.store} joined={joined} />}
          {view.bare
            ? <LazyView entry={view} actions={app.actions} />
            : <Chapter id={view.id} title={view.title} what={view.what}>
                <LazyView entry={view} actions={app.actions} initialName={opts.name ?? undefined} initialTemperature={opts.temperature} />
              </Chapter>}
          <p class="widget-credit"><a href="./" target="_blank" rel="noopener">Ming's Kitchen</a>: microgpt trained live in your browser.</p>
        </StoreContext.Provider>
      )}
    </div>
  );
}

let app = null;
const joined = signal(null); // the kitchen as the trainer found it, if it had cooked (JoinedNote)
if (opts.id) {
  let current = null;
  app = createKitchenApp(urls, {
    join: true,
    start: opts.start,
    connect: async ({ again = false } = {}) => {
      // a new connection (a reconnect, a Retry) leaves the old one for good:
      // a host stops hosting and its worker ends
      current?.close();
      const root = document.documentElement.dataset;
      const mine = current = await connectKitchen(again ? retryUrls(urls) : urls, { onLost: () => app.actions.open() });
      root.kitchen = mine.mode;
      root.connections = String(Number(root.connections ?? 0) + 1);
      mine.client.on('crash', () => { if (current === mine) root.kitchen = 'dead'; });
      return mine.client;
    },
  });
  // the first time the kitchen is open: had it cooked already (another widget, another tab of the post)?
  let first = true;
  effect(() => {
    const s = app.store;
    if (!first || s.phase.value !== 'ready') return;
    first = false;
    nameNoted.value = nameNote(opts.name, s.info.peek());
    const step = s.step.peek();
    if (step > 0 && JOIN_NOTE[s.state.peek()]) joined.value = { state: s.state.peek(), step, numSteps: s.numSteps.peek() };
  });
  // the page's state, for tests and the bench to wait on (never a clock)
  effect(() => {
    const root = document.documentElement.dataset, s = app.store;
    root.phase = s.phase.value;
    root.state = s.state.value;
    root.step = String(s.step.value);
    root.pace = s.pace.value;
    root.view = s.view.value === null ? '' : String(s.view.value);
  });
  app.store.seed.value = opts.seed;
  app.store.numSteps.value = opts.steps;
  app.store.temperature.value = opts.temperature;
  app.store.pace.value = opts.pace; // the pace of a kitchen this widget opens; one it joins keeps its own
  window.addEventListener('pagehide', () => { if (current && current.mode !== 'host') current.close(); });
  // for this widget's own diagnostics (the bench reads the kitchen's memory);
  // scripts of other origins cannot reach it
  globalThis.mingsKitchenRequest = (type, fields) => app.store.request(type, fields); // a new run is followed (store.js)
}
// the kitchen first: its worker starts while the page renders
app?.actions.open();
render(<Widget app={app} />, document.getElementById('app'));
