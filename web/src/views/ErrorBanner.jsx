// ErrorBanner.jsx - says plainly what went wrong and offers a retry: the
// error's own (error.retry: e.g. the link's, which also cooks its run), else
// opening the kitchen again.
import { useStore } from '../state/store.js';

export function ErrorBanner({ actions }) {
  const store = useStore();
  const err = store.error.value;
  if (!err) return null;
  const failed = store.phase.value === 'failed';
  return (
    <div class={`banner ${failed ? 'failed' : 'warning'}`} role="alert" data-error>
      <p>{err.message}</p>
      {failed && err.retry !== null
        ? <button type="button" onClick={() => (err.retry ?? actions.open)()} data-action="retry">Retry</button>
        : !failed && <button type="button" onClick={() => (store.error.value = null)}>Dismiss</button>}
    </div>
  );
}
