// Timeline.jsx - scrub through the run: a range from the first dish the
// kitchen can show to the latest; every view on the page then shows Ming as
// he was after that dish (the kitchen replays from its snapshots), until
// "back to dish M". The run itself goes on from its latest dish.
// Hooks: input#timeline (value: the dish shown), [data-action=back-to-latest],
// [data-view-banner] (data-view: the dish shown, empty at the latest).
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';

const fmt = (n) => n.toLocaleString('en-US');
const PAGE = 100; // dishes per Page Up / Page Down

/** One line saying which dish every view shows, when it is not the latest. */
export function ViewBanner({ actions }) {
  const store = useStore();
  const view = store.view.value;
  if (view === null) return null;
  return (
    <p class="view-banner" data-view-banner data-view={view} role="status">
      <span>Ming as he was after dish <b>{fmt(view)}</b></span>{' '}
      <button type="button" class="link" data-action="banner-back" onClick={() => actions.viewAt(null)}>
        back to dish {fmt(store.step.value)}
      </button>
    </p>
  );
}

export function Timeline({ actions }) {
  const store = useStore();
  const latest = store.step.value, earliest = Math.min(store.earliest.value, latest), view = store.view.value;
  // the dish the reader moved to, until the kitchen shows it (the newest wins)
  const [moving, setMoving] = useState(null);
  const shown = moving ?? view ?? latest;
  const ready = store.phase.value === 'ready';
  const go = (n) => {
    const dish = Math.max(earliest, Math.min(latest, n));
    setMoving(dish);
    // the far end is the latest dish: the run as it goes on
    actions.viewAt(dish >= latest ? null : dish).finally(() => setMoving(null));
  };
  const onKey = (e) => {
    if (e.key !== 'PageUp' && e.key !== 'PageDown') return; // arrows, Home and End: the range's own
    e.preventDefault();
    go(shown + (e.key === 'PageUp' ? PAGE : -PAGE));
  };
  return (
    <div class="timeline" data-view={view ?? ''}>
      <label for="timeline" class="dial-label">
        Scrub the run: <output for="timeline" data-timeline-dish>dish {fmt(shown)}</output>
        {view === null ? ' (the latest)' : ` of ${fmt(latest)}`}
      </label>
      <input id="timeline" type="range" min={earliest} max={latest} step="1" value={shown}
        disabled={!ready || latest <= earliest}
        aria-valuetext={`dish ${fmt(shown)}${view === null && moving === null ? ', the latest' : ''}`}
        aria-describedby="timeline-help"
        onInput={(e) => go(Number(e.currentTarget.value))} onKeyDown={onKey} />
      <p id="timeline-help" class="caption">
        Every view shows Ming as he was after that dish; Train goes on from the latest. Arrows: one dish, Page Up/Down: {PAGE}.{' '}
        {view !== null && (
          <button type="button" class="link" data-action="back-to-latest" onClick={() => { setMoving(null); actions.viewAt(null); }}>
            back to dish {fmt(latest)}
          </button>
        )}
      </p>
    </div>
  );
}
