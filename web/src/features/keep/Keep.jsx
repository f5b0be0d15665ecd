// Keep.jsx - the place of "Share or keep this Ming" (KeepRow.jsx, its own
// chunk), loaded as the reader comes to it, or when a file is dragged onto
// the page: Load Ming takes a file dropped anywhere, so until the row has
// loaded a drop is caught here (on window: FileControls, on document, sees
// it first once it listens) and handed to it, never opened by the browser
// in place of the page.
import { useEffect, useState } from 'preact/hooks';
import { WhenNear } from '../OnDemand.jsx';

const loadRow = () => import('./KeepRow.jsx').then((m) => m.KeepRow);
const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');

export function Keep({ actions }) {
  const [wake, setWake] = useState(false);
  const [dropped, setDropped] = useState(null);
  useEffect(() => {
    const onOver = (e) => { if (!hasFiles(e) || e.defaultPrevented) return; e.preventDefault(); setWake(true); };
    const onDrop = (e) => {
      if (!hasFiles(e) || e.defaultPrevented) return;
      e.preventDefault();
      setDropped(e.dataTransfer.files[0] ?? null);
      setWake(true);
    };
    addEventListener('dragover', onOver);
    addEventListener('drop', onDrop);
    return () => { removeEventListener('dragover', onOver); removeEventListener('drop', onDrop); };
  }, []);
  // the row wraps to more lines on a phone than its place keeps: it loads a little before it is on screen
  return <WhenNear load={loadRow} margin="200px" box="keep" wake={wake} actions={actions} dropped={dropped} />;
}
