import { useState } from 'react';
import { bidiControlsIn } from './reveal-bidi';
import { formatCount } from '../counts/format-count';

/** Past this many characters, a field shows its start and a button for the rest (names can be 10 kB). */
const LONG_TEXT = 160;

/**
 * Any free text from the cluster (names, IDs, labels, messages): rendered as text only, in a `<bdi>` so that
 * direction overrides inside it cannot reorder what is around it, flagged when it holds bidi control
 * characters (so `invoice<U+202E>txt.exe`, which reads as "invoiceexe.txt", is seen to be something else),
 * and cut when long until asked for.
 */
export function ClusterText({ text, max = LONG_TEXT }: { text: string; max?: number }) {
  const [expanded, setExpanded] = useState(false);
  const controls = bidiControlsIn(text);
  const cut = !expanded && text.length > max;
  return (
    <>
      <bdi>{cut ? text.slice(0, max) : text}</bdi>
      {cut && (
        <>
          …{' '}
          <button type="button" className="link-button" onClick={() => setExpanded(true)}>
            show all {formatCount(text.length)} characters
          </button>
        </>
      )}
      {controls.length > 0 && (
        <span className="bidi-warning" title={`Contains text direction controls: ${controls.join(', ')}`}>
          ⇄ {controls.map((control) => control.split(' ')[1] ?? control).join(' ')}
        </span>
      )}
    </>
  );
}
