// useFocusWithin.js - a live region that speaks only while the reader works
// in its panel (focus inside it): the same text changing because Ming trains
// is not announced out of context. Returns [ariaLive, handlers for the panel].
import { useState } from 'preact/hooks';

export function useFocusWithin() {
  const [inside, setInside] = useState(false);
  return [inside ? 'polite' : 'off', {
    onFocusIn: () => setInside(true),
    onFocusOut: (e) => { if (!e.currentTarget.contains(e.relatedTarget)) setInside(false); },
  }];
}
