import { useCallback } from 'react';
import { SEARCH_INPUT_ID, SearchBox } from '../../features/search/components/search-box';
import { SHORTCUTS, useKeyboardShortcuts } from '../shortcuts/keyboard-shortcuts';
import { ShortcutsHelp } from '../shortcuts/shortcuts-help';
import { ThemeToggle } from '../theme/theme-toggle';

/** The right side of the header: find anything, the theme, and the keyboard shortcuts (which work everywhere). */
export function HeaderTools() {
  const focusSearch = useCallback(() => {
    const input = document.getElementById(SEARCH_INPUT_ID);
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
  }, []);
  const { helpOpen, openHelp, closeHelp } = useKeyboardShortcuts(focusSearch);
  return (
    <div className="header-tools">
      <SearchBox />
      <ThemeToggle />
      <button
        type="button"
        className="header-button"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
        title="Keyboard shortcuts (?)"
        onClick={openHelp}
      >
        ?
      </button>
      <ShortcutsHelp open={helpOpen} onClose={closeHelp} shortcuts={SHORTCUTS} />
    </div>
  );
}
