/**
 * Keyboard shortcuts, one table for the handler and the `?` help sheet. Sequences are typed one key after
 * the other (`g` then `t`), like Gmail and GitHub; they are ignored while typing in a form field.
 */
type ShortcutAction =
  { kind: 'navigate'; to: string } | { kind: 'focus-search' } | { kind: 'toggle-theme' } | { kind: 'help' };

export interface Shortcut {
  /** Keys typed one after another, as `KeyboardEvent.key` names them. */
  keys: readonly string[];
  description: string;
  action: ShortcutAction;
}

/** How long the next key of a sequence may take. */
export const SEQUENCE_TIMEOUT_MS = 1_500;

/** What a key does: completes a shortcut, continues a sequence (the keys typed so far), or nothing. */
type ShortcutMatch = { shortcut: Shortcut } | { pending: string[] } | null;

/** Finds what `key` completes or continues, given the keys of an unfinished sequence typed just before it. */
export function matchShortcut(
  shortcuts: readonly Shortcut[],
  previous: readonly string[],
  key: string,
): ShortcutMatch {
  // Continue the sequence if the key fits it, else start over with this key alone.
  for (const typed of previous.length > 0 ? [[...previous, key], [key]] : [[key]]) {
    const exact = shortcuts.find(
      (shortcut) => shortcut.keys.length === typed.length && shortcut.keys.every((k, i) => k === typed[i]),
    );
    if (exact) return { shortcut: exact };
    const prefix = shortcuts.some(
      (shortcut) => shortcut.keys.length > typed.length && typed.every((k, i) => shortcut.keys[i] === k),
    );
    if (prefix) return { pending: typed };
  }
  return null;
}

/** True when the key goes to something the user is typing in. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
