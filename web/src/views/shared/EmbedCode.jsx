// EmbedCode.jsx - "Embed": the button that opens the snippets that put this
// view in a blog post (EmbedPanel.jsx, its own chunk, loaded when first
// opened: a reader who does not embed needs none of it at load).
import { useState } from 'preact/hooks';
import { useLoaded, NotLoaded, loadStyle } from '../../features/OnDemand.jsx';

const loadPanel = () => Promise.all([import('./EmbedPanel.jsx'), loadStyle('embed-panel')]).then(([m]) => m.EmbedPanel);

/** id: the widget; name, temperature: where the reader left the view (the
 * temperature of its own risk dial; else the page's); also: {id, label} of
 * a part of the chapter that is a widget of its own. */
export function EmbedCode({ id: chapterId, name, temperature, also }) {
  const [open, setOpen] = useState(false);
  const [id, setId] = useState(chapterId);
  const [startChoice, setStart] = useState(null);
  const { C: Panel, error } = useLoaded(loadPanel, open);
  return (
    <div class="embed-code">
      <button type="button" aria-expanded={open ? 'true' : 'false'} aria-controls={`embed-${chapterId}`} onClick={() => setOpen(!open)} data-action="embed">
        {open ? 'Hide embed code' : 'Embed'}
      </button>
      {open && (error ? <NotLoaded error={error} />
        : Panel && <Panel chapterId={chapterId} name={name} temperature={temperature} also={also}
          id={id} setId={setId} startChoice={startChoice} setStart={setStart} />)}
    </div>
  );
}
