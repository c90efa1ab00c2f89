import { useEffect, useRef } from 'react';
import { formatBytes } from '../../../components/resources/format';
import { useLineText } from '../api/read-line-text';
import { visibleText } from '../utils/ansi';
import type { FileSource } from '../utils/file-source';
import { formatCount } from '../../../components/counts/format-count';

/** A very long line, fetched in full (up to 8 MiB) and shown wrapped in a dialog. */
export function WholeLineDialog({
  source,
  path,
  offset,
  length,
  onClose,
}: {
  source: FileSource;
  path: string;
  offset: number;
  length: number;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const line = useLineText(source, path, offset, length);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="whole-line" onClose={onClose} aria-label="Whole line">
      <header className="whole-line-header">
        <strong>
          Line at byte {formatCount(offset)} ({formatBytes(length)})
        </strong>
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      <pre className="whole-line-text" data-testid="whole-line-text">
        {line.data
          ? visibleText(line.data.text) + (line.data.cut ? '\n… (cut at 8 MiB)' : '')
          : line.isError
            ? `Could not read the line: ${line.error.message}`
            : 'Loading…'}
      </pre>
    </dialog>
  );
}
