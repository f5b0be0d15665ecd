// useFrameDraw.js - draws a canvas when its inputs change: at once, then at
// most once an animation frame with the newest inputs, so dishes coming
// faster than frames (the timeline dragged, Ming training) cost one draw a
// frame, and the last inputs are always drawn. The canvas's size is
// followed with a ResizeObserver (canvas._box: {w, h}, CSS pixels), so a draw
// never forces the browser to lay the page out first.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';

/** draw(canvas, args) after each change of deps; returns the canvas ref. */
export function useFrameDraw(draw, args, deps) {
  const ref = useRef(null);
  const p = useRef({ frame: 0, dirty: false, args: null }).current;
  p.args = args;
  p.draw = draw;
  const kick = () => {
    if (p.frame) { p.dirty = true; return; }
    if (ref.current) p.draw(ref.current, p.args);
    p.frame = requestAnimationFrame(() => { p.frame = 0; if (p.dirty) { p.dirty = false; kick(); } });
  };
  p.kick = kick;
  // drawn as the render is committed, before the browser paints it: the
  // canvas shows the same dish as the text around it, in the same frame (an
  // effect would draw it after that frame was painted, one frame late)
  useLayoutEffect(kick, deps);
  useEffect(() => {
    const canvas = ref.current;
    const ro = canvas && typeof ResizeObserver === 'function' ? new ResizeObserver(([e]) => {
      const { width: w, height: h } = e.contentRect;
      if (w !== canvas._box?.w || h !== canvas._box?.h) { canvas._box = { w, h }; kick(); }
    }) : null;
    ro?.observe(canvas);
    return () => { ro?.disconnect(); cancelAnimationFrame(p.frame); };
  }, []);
  return ref;
}
