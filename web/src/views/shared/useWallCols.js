// useWallCols.js - how many dials a wall row holds: 128 on a wide screen
// (the wall stays short enough to read beside its caption), 64 on a narrow
// one (cells stay big enough to see and to click). Follows window resizes.
import { useEffect, useState } from 'preact/hooks';

const QUERY = '(min-width: 720px)';
const wide = () => globalThis.matchMedia?.(QUERY).matches ?? true;

export function useWallCols(narrow = 64, broad = 128) {
  const [isWide, setWide] = useState(wide);
  useEffect(() => {
    const mq = globalThis.matchMedia?.(QUERY);
    if (!mq) return undefined;
    const on = () => setWide(mq.matches);
    mq.addEventListener?.('change', on);
    return () => mq.removeEventListener?.('change', on);
  }, []);
  return isWide ? broad : narrow;
}
