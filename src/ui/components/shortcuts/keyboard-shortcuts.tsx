import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../config/paths';
import { toggleTheme } from '../theme/theme-store';
import { isTypingTarget, matchShortcut, SEQUENCE_TIMEOUT_MS, type Shortcut } from './shortcuts';

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: ['g', 'o'],
    description: 'Go to the overview',
    action: { kind: 'navigate', to: paths.overview.build() },
  },
  {
    keys: ['g', 'f'],
    description: 'Go to frameworks',
    action: { kind: 'navigate', to: paths.frameworks.build() },
  },
  { keys: ['g', 'a'], description: 'Go to agents', action: { kind: 'navigate', to: paths.agents.build() } },
  { keys: ['g', 't'], description: 'Go to tasks', action: { kind: 'navigate', to: paths.tasks.build() } },
  { keys: ['g', 'r'], description: 'Go to roles', action: { kind: 'navigate', to: paths.roles.build() } },
  { keys: ['g', 'e'], description: 'Go to offers', action: { kind: 'navigate', to: paths.offers.build() } },
  {
    keys: ['g', 'n'],
    description: 'Go to maintenance',
    action: { kind: 'navigate', to: paths.maintenance.build() },
  },
  { keys: ['g', 'm'], description: 'Go to metrics', action: { kind: 'navigate', to: paths.metrics.build() } },
  {
    keys: ['g', 'c'],
    description: 'Go to flags (configuration)',
    action: { kind: 'navigate', to: paths.flags.build() },
  },
  { keys: ['/'], description: 'Find a task, framework or agent', action: { kind: 'focus-search' } },
  { keys: ['Control+k'], description: 'Find a task, framework or agent', action: { kind: 'focus-search' } },
  { keys: ['t', 't'], description: 'Switch between light and dark theme', action: { kind: 'toggle-theme' } },
  { keys: ['?'], description: 'Show these shortcuts', action: { kind: 'help' } },
];

/** The key as the shortcut table names it: `Control+k` for Ctrl+K or ⌘K, else the plain key. */
function keyName(event: KeyboardEvent): string | null {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k')
    return 'Control+k';
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return event.key;
}

/** Handles the shortcuts anywhere on the page; returns the state of the help sheet. */
export function useKeyboardShortcuts(focusSearch: () => void): {
  helpOpen: boolean;
  openHelp: () => void;
  closeHelp: () => void;
} {
  const navigate = useNavigate();
  const [helpOpen, setHelpOpen] = useState(false);
  const typed = useRef<{ keys: string[]; at: number }>({ keys: [], at: 0 });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // A modal dialog (the help sheet) has the keyboard to itself.
      if (document.querySelector('dialog[open]')) return;
      const key = keyName(event);
      if (key === null) return;
      // Ctrl+K works everywhere (it is no text key); everything else waits until the user stops typing.
      if (key !== 'Control+k' && isTypingTarget(event.target)) return;
      const now = Date.now();
      const previous = now - typed.current.at < SEQUENCE_TIMEOUT_MS ? typed.current.keys : [];
      const match = matchShortcut(SHORTCUTS, previous, key);
      if (match === null) {
        typed.current = { keys: [], at: 0 };
        return;
      }
      if ('pending' in match) {
        typed.current = { keys: match.pending, at: now };
        return;
      }
      typed.current = { keys: [], at: 0 };
      event.preventDefault();
      const { action } = match.shortcut;
      switch (action.kind) {
        case 'navigate':
          void navigate(action.to);
          break;
        case 'focus-search':
          focusSearch();
          break;
        case 'toggle-theme':
          toggleTheme();
          break;
        case 'help':
          setHelpOpen(true);
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate, focusSearch]);

  return { helpOpen, openHelp: () => setHelpOpen(true), closeHelp: () => setHelpOpen(false) };
}
