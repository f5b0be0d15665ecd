// LazyView.jsx - renders a registry entry's view once its chunk has loaded.
import { useEffect, useState } from 'preact/hooks';

export function LazyView({ entry, ...props }) {
  const [View, setView] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let alive = true;
    entry.load().then((C) => alive && setView(() => C), (e) => alive && setError(e.message));
    return () => { alive = false; };
  }, [entry]);
  if (error) return <p class="note error" role="alert">This view could not be loaded ({error}). Reload the page to try again.</p>;
  if (!View) return <p class="caption">Opening the view…</p>;
  return <View {...props} />;
}
