// Chapter.jsx - the frame every chapter view shares: number and title, one
// line saying what it shows (kitchen word and standard term), the view.
import { useEffect, useRef } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { VisibleContext } from './useLive.js';
import { showChar } from './names.js';

export function Chapter({ n, id, title, what, children }) {
  const ref = useRef(null);
  const visible = useSignal(true);
  // live views refresh only while on screen (they catch up when scrolled to)
  useEffect(() => {
    if (typeof IntersectionObserver !== 'function') return undefined;
    const io = new IntersectionObserver(([e]) => { visible.value = e.isIntersecting; }, { rootMargin: '200px 0px' });
    io.observe(ref.current);
    return () => io.disconnect();
  }, []);
  return (
    <section ref={ref} class="view chapter" id={n ? `chapter-${n}` : undefined} data-view={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{n ? <span class="chapter-n">{n}</span> : null}{title}</h2>
      <p class="what">{what}</p>
      <VisibleContext.Provider value={visible}>{children}</VisibleContext.Provider>
    </section>
  );
}

/** A text field for a name or prefix, with the kitchen's message when it is not accepted. */
export function NameField({ id, label, value, onInput, error, hint, maxLength = 40 }) {
  return (
    <div class="name-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        maxLength={maxLength}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={`${id}-msg`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <span id={`${id}-msg`} class={error ? 'note error' : 'note'} role={error ? 'alert' : undefined} data-input-error={error ? '' : undefined}>
        {error ?? hint ?? ''}
      </span>
    </div>
  );
}

/** The bell (BOS) shown in text (a word: emoji fonts are not everywhere). */
export const BELL = 'bell';
export const courseLabel = (vocab, id) => (vocab[id] === null || vocab[id] === undefined ? BELL : vocab[id]);
/** A course as shown on its own: a space or an invisible character by name. */
export const courseText = (vocab, id) => (vocab[id] === null || vocab[id] === undefined ? BELL : showChar(vocab[id]));
