// KeepRow.jsx - "Share or keep this Ming" under the trainer: Copy link
// (features/link) and Save / Load Ming (features/file). Its own chunk,
// loaded by Keep.jsx. dropped: a file dropped on the page before this row
// had loaded, handed to Load Ming as the drop it was.
import { useEffect } from 'preact/hooks';
import { CopyLink } from '../link/CopyLink.jsx';
import { FileControls } from '../file/FileControls.jsx';

export function KeepRow({ actions, dropped }) {
  // after FileControls' own effect (a child's runs first): it listens for drops by now
  useEffect(() => {
    if (!dropped) return;
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(dropped);
    document.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
  }, []);
  return (
    <div class="keep" role="group" aria-label="Share or keep this Ming">
      <CopyLink />
      <FileControls actions={actions} />
    </div>
  );
}
