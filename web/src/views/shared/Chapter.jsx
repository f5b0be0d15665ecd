// Chapter.jsx - the frame every chapter view shares: number and title, one
// line saying what it shows (kitchen word and standard term), the view.
export function Chapter({ n, id, title, what, children }) {
  return (
    <section class="view chapter" id={n ? `chapter-${n}` : undefined} data-view={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{n ? <span class="chapter-n">{n}</span> : null}{title}</h2>
      <p class="what">{what}</p>
      {children}
    </section>
  );
}

/** A text field for a name or prefix, with the kitchen's message when it is not accepted. */
export function NameField({ id, label, value, onInput, error, hint }) {
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
        maxLength={40}
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
