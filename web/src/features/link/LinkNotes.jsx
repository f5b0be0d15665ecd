// LinkNotes.jsx - the notes of the link the page was opened with: what it
// had that could not be used, and why (features/link/link.js, format.js).
/** The notes of the link the page was opened with (a bad field, an old link). */
export function LinkNotes({ link }) {
  const notes = link?.notes.value ?? [];
  if (!notes.length) return null;
  return (
    <div class="link-notes view" role="status" data-link-notes>
      <p><strong>About the link you opened:</strong> the page went on with the defaults where it could not use it.</p>
      <ul>{notes.map((n) => <li>{n}</li>)}</ul>
    </div>
  );
}
