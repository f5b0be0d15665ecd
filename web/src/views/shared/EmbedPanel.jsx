// EmbedPanel.jsx - the open "Embed" panel (EmbedCode.jsx): the snippets that
// put this view in a blog post, with the current options, and a Copy button
// (the text stays selectable where the clipboard is not allowed). Its own
// chunk, with the widgets' options (embed/options.js), loaded when first opened.
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';
import { UI_TEMPERATURE } from '../../limits.js';
import { defaultStart, widgetUrl, widgetTitle, plainHeight, WIDGETS } from '../../embed/options.js';

/** The two snippets for view `id` with options `opts`; the heights and titles are options.js's (WIDGETS). */
export function embedSnippets(base, id, opts) {
  const src = widgetUrl(base, id, opts);
  const title = widgetTitle(id).replace(/"/g, '&quot;');
  const iframe = `<iframe src="${src}" title="${title}" width="100%" height="${plainHeight(id)}" style="border:0" loading="lazy"></iframe>`;
  const data = Object.entries(opts).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => ` data-${k}="${String(v).replace(/"/g, '&quot;')}"`).join('');
  const host = `<div data-mings-kitchen="${id}"${data} data-title="${title}"></div>\n<script src="${new URL('embed.js', base).href}" async></script>`;
  return { iframe, host };
}

/** What the plain iframe's height is good for, and the heights for narrower columns. */
export function plainNote(id) {
  const rows = WIDGETS[id].plain;
  const [from] = rows.at(-1);
  const narrower = rows.slice(0, -1).map(([w, h], i) => `height="${h}" from ${w} px`).join(', ');
  return `The height fits columns from ${from} px wide${narrower ? `; in narrower columns use ${narrower}` : ''} (the host script needs none).`;
}

function Snippet({ label, text, id }) {
  const [copied, setCopied] = useState(null);
  const copy = async (e) => {
    const area = e.currentTarget.parentElement.parentElement.querySelector('textarea');
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied.');
    } catch {
      area.focus();
      area.select();
      setCopied('Copying is not allowed here: the text is selected, press Ctrl+C (⌘C).');
    }
  };
  return (
    <div class="snippet">
      <div class="snippet-head">
        <label for={id}>{label}</label>
        <button type="button" onClick={copy} data-action="copy-snippet">Copy</button>
      </div>
      <textarea id={id} readOnly rows={3} spellcheck={false} data-snippet>{text}</textarea>
      <span class="note" role="status">{copied ?? ''}</span>
    </div>
  );
}

/** The panel of EmbedCode: chapterId, name, temperature, also as there;
 * id, setId, startChoice, setStart: the reader's choices, kept by EmbedCode
 * while the panel is closed. */
export function EmbedPanel({ chapterId, name, temperature, also, id, setId, startChoice, setStart }) {
  const store = useStore();
  const start = startChoice ?? defaultStart(id);
  const base = new URL('./', location.href);
  const t = temperature ?? store.temperature.value;
  const opts = { name, t: t !== UI_TEMPERATURE.default ? t : undefined,
    seed: store.seed.value !== 42 ? store.seed.value : undefined,
    steps: store.numSteps.value !== 1000 ? store.numSteps.value : undefined, start };
  const { iframe, host } = embedSnippets(base, id, opts);
  return (
    <div id={`embed-${chapterId}`} class="embed-panel">
      <p class="caption">Put this view in your own post. The host script sizes the frame to its content; the plain iframe works without it.</p>
      {also && (
        <fieldset class="embed-start">
          <legend>Embed</legend>
          <label><input type="radio" name={`what-${chapterId}`} checked={id === chapterId} onChange={() => setId(chapterId)} data-embed-what={chapterId} /> the whole chapter</label>
          <label><input type="radio" name={`what-${chapterId}`} checked={id === also.id} onChange={() => setId(also.id)} data-embed-what={also.id} /> {also.label}</label>
        </fieldset>
      )}
      <fieldset class="embed-start">
        <legend>Ming starts</legend>
        <label><input type="radio" name={`start-${chapterId}`} checked={start === 'trained'} onChange={() => setStart('trained')} /> trained (cooked at once when it opens)</label>
        <label><input type="radio" name={`start-${chapterId}`} checked={start === 'fresh'} onChange={() => setStart('fresh')} /> untrained, to watch him learn</label>
      </fieldset>
      <Snippet id={`embed-${chapterId}-host`} label="With the host script (recommended)" text={host} />
      <Snippet id={`embed-${chapterId}-iframe`} label="Plain iframe" text={iframe} />
      <p class="caption" data-plain-note>{plainNote(id)}</p>
    </div>
  );
}
