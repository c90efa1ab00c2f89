import { useState } from 'react';
import { revealBidiControls } from './reveal-bidi';

/** Past this many characters, a field shows its start and a button for the rest (names can be 10 kB). */
export const LONG_TEXT = 160;

/**
 * Any free text from the cluster (names, labels, messages): rendered as text only, isolated from the
 * surrounding direction (`<bdi>`), with bidi controls made visible, and long values cut until asked for.
 */
export function ClusterText({ text, max = LONG_TEXT }: { text: string; max?: number }) {
  const [expanded, setExpanded] = useState(false);
  const shown = revealBidiControls(text);
  if (expanded || shown.length <= max) return <bdi>{shown}</bdi>;
  return (
    <>
      <bdi>{shown.slice(0, max)}</bdi>…{' '}
      <button type="button" className="link-button" onClick={() => setExpanded(true)}>
        show all {text.length.toLocaleString('en-US')} characters
      </button>
    </>
  );
}
