// anchors.js - anchors that land below the sticky bar. The bar's real height
// is kept in --bar-h (the headings' scroll-margin-top reads it); a page
// opened on #chapter-N is held there while the views above it load, until
// the reader scrolls, types or clicks.
import { useEffect } from 'preact/hooks';

export function useBarHeight(selector) {
  useEffect(() => {
    const bar = document.querySelector(selector);
    if (!bar) return undefined;
    const set = () => document.documentElement.style.setProperty('--bar-h', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(bar);
    return () => ro.disconnect();
  }, []);
}

/** Scrolls to location.hash now and whenever the page's layout changes, until the reader acts. */
export function keepAnchor() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return undefined;
  const land = () => target.scrollIntoView({ block: 'start' });
  land();
  const ro = new ResizeObserver(land);
  ro.observe(document.querySelector('main') ?? document.body);
  const stop = () => {
    ro.disconnect();
    for (const t of EVENTS) removeEventListener(t, stop, true);
  };
  const EVENTS = ['wheel', 'touchstart', 'keydown', 'pointerdown', 'hashchange'];
  for (const t of EVENTS) addEventListener(t, stop, { capture: true, passive: true });
  return stop;
}
