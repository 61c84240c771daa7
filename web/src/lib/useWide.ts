import { useEffect, useState } from 'preact/hooks';

/** The width from which the layout is the desktop one (side-by-side schedule and map, top
 * navigation instead of the bottom bar); keep in step with styles.css. */
export const WIDE_QUERY = '(min-width: 1000px)';

export function useWide(): boolean {
  const mq = typeof matchMedia === 'function' ? matchMedia(WIDE_QUERY) : undefined;
  const [wide, setWide] = useState(mq?.matches ?? false);
  useEffect(() => {
    if (!mq) return;
    const on = () => setWide(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return wide;
}
