import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Shortcut } from './shortcuts';

function KeyCaps({ keys }: { keys: readonly string[] }) {
  return (
    <span className="key-caps">
      {keys.map((key, index) => (
        <span key={`${key}-${index}`}>
          {index > 0 && <span className="muted"> then </span>}
          <kbd>{key === 'Control+k' ? 'Ctrl+K' : key}</kbd>
        </span>
      ))}
    </span>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/** Keeps Tab and Shift+Tab cycling inside the dialog (a modal `<dialog>` alone lets focus reach the browser's UI). */
function trapTab(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !event.currentTarget.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * The `?` help sheet: a modal `<dialog>`, so the page behind is inert and Escape closes it (native); Tab stays
 * inside; focus goes back to where it was.
 */
export function ShortcutsHelp({
  open,
  onClose,
  shortcuts,
}: {
  open: boolean;
  onClose: () => void;
  shortcuts: readonly Shortcut[];
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      // jsdom has no showModal; browsers do.
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      onClose={onClose}
      onCancel={onClose}
      onKeyDown={trapTab}
    >
      <div className="dialog-header">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="button" onClick={onClose} aria-label="Close keyboard shortcuts">
          Close
        </button>
      </div>
      <table className="data-table compact-table">
        <caption className="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {shortcuts.map((shortcut) => (
            <tr key={shortcut.keys.join(' ')}>
              <td>
                <KeyCaps keys={shortcut.keys} />
              </td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
          <tr>
            <td>
              <KeyCaps keys={['Esc']} />
            </td>
            <td>Close this sheet or the search results</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">Shortcuts wait while you type in a field.</p>
    </dialog>
  );
}
