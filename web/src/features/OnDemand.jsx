// OnDemand.jsx - the features a first-time reader does not need at once,
// each in its own chunk (esbuild splits at import()), loaded when the reader
// comes to them, so the first page stays as light as it was before them
// (the bench's first page weight). Until it has loaded, a feature's place
// keeps the height it has at rest, so nothing moves when it arrives.
import { useEffect, useRef, useState } from 'preact/hooks';

// the components loaded so far, by their load function: a place drawn again
// (a chapter's view drawn anew for the other run, ShownRun.jsx) shows its
// part at once rather than a placeholder until it is near again
const loaded = new Map();

/**
 * The component load() resolves to, once want is true or it loaded before
 * ({C, error}; C null until then). A chunk imported once is kept by the
 * module loader.
 */
export function useLoaded(load, want) {
  const [C, setC] = useState(() => loaded.get(load) ?? null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!want || C) return undefined;
    let alive = true;
    load().then((c) => { loaded.set(load, c); if (alive) setC(() => c); }, (e) => alive && setError(e.message ?? String(e)));
    return () => { alive = false; };
  }, [want]);
  return { C, error };
}

/**
 * The style sheet NAME.css beside the page's main.css (web/build.mjs builds
 * each of its ON_DEMAND_STYLES there), added to the page once: resolves when
 * its rules apply, so a feature loaded with it never shows unstyled.
 */
const styles = {};
export function loadStyle(name) {
  styles[name] ??= new Promise((resolve, reject) => {
    const main = document.querySelector('link[rel=stylesheet][href*="main.css"]');
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL(`${name}.css`, main?.href ?? new URL('assets/', document.baseURI)).href;
    link.onload = resolve;
    link.onerror = () => { delete styles[name]; link.remove(); reject(new Error(`the style sheet ${name}.css could not be loaded`)); };
    document.head.append(link);
  });
  return styles[name];
}

/** What a feature that could not be loaded says (the rest of the page goes on). */
export const NotLoaded = ({ error }) => (
  <p class="note error" role="alert">This part of the page could not be loaded ({error}). Reload the page to try again.</p>
);

/**
 * A feature loaded once its place comes within margin of the viewport
 * (below the fold at load: not part of the first page). box: the class of
 * the feature's outer box (its margins); its place at rest is one row of
 * controls (an unseen button keeps a button's height), or reserve (a CSS
 * length) when it is taller. wake: true loads it wherever it is (the
 * reader reached for it another way). props go to the component.
 */
export function WhenNear({ load, margin = '0px', box = '', reserve, wake = false, ...props }) {
  const place = useRef(null);
  const [seen, setNear] = useState(false);
  const near = seen || wake;
  useEffect(() => {
    if (near || !place.current) return undefined;
    if (typeof IntersectionObserver !== 'function') { setNear(true); return undefined; }
    const io = new IntersectionObserver(([e]) => { if (e.isIntersecting) setNear(true); }, { rootMargin: `${margin} 0px` });
    io.observe(place.current);
    return () => io.disconnect();
  }, [near]);
  const { C, error } = useLoaded(load, near);
  if (error) return <NotLoaded error={error} />;
  if (C) return <C {...props} />;
  return (
    <div ref={place} class={`on-demand ${box}`} style={reserve ? { minHeight: reserve } : undefined} data-on-demand>
      {!reserve && <button type="button" disabled tabIndex={-1} aria-hidden="true" style={{ visibility: 'hidden' }}>&nbsp;</button>}
    </div>
  );
}
