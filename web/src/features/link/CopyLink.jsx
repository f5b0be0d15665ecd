// CopyLink.jsx - "Copy link": the address that rebuilds this Ming (the
// run's seed, dishes and dish, the risk dial, pace, typed names, chapter),
// put on the clipboard and shown, so it can be copied by hand where the
// clipboard is refused.
import { useState } from 'preact/hooks';
import { useStore } from '../../state/store.js';

export function CopyLink() {
  const store = useStore();
  const link = store.link;
  const [shown, setShown] = useState(null); // {url, said}
  if (!link) return null;
  const copy = async () => {
    const { url, leftOut } = await link.href();
    let said = 'Link copied: opening it trains the same Ming and shows the same names and views.';
    try { await navigator.clipboard.writeText(url); } catch { said = 'Copy this link (the browser did not let the page copy it):'; }
    if (leftOut === 'records') said += ' It carries everything but your own records, which are too big for a link: they are named by their hash.';
    setShown({ url, said });
  };
  return (
    <div class="copy-link">
      <button type="button" onClick={copy} disabled={store.phase.value !== 'ready'} data-action="copy-link">Copy link</button>
      {shown && <>
        <span class="note" role="status" data-link-said>{shown.said}</span>
        <input type="text" readOnly value={shown.url} aria-label="The link to this Ming" data-link-url
          onFocus={(e) => e.currentTarget.select()} />
      </>}
    </div>
  );
}
