import { describe, expect, it } from 'vitest';
import { isTypingTarget, matchShortcut, type Shortcut } from './shortcuts';

const shortcuts: Shortcut[] = [
  { keys: ['g', 'o'], description: 'Overview', action: { kind: 'navigate', to: '/' } },
  { keys: ['g', 't'], description: 'Tasks', action: { kind: 'navigate', to: '/tasks' } },
  { keys: ['t', 't'], description: 'Theme', action: { kind: 'toggle-theme' } },
  { keys: ['?'], description: 'Help', action: { kind: 'help' } },
];

describe('shortcut sequences', () => {
  it('completes a sequence, and waits after its first key', () => {
    expect(matchShortcut(shortcuts, [], 'g')).toEqual({ pending: ['g'] });
    expect(matchShortcut(shortcuts, ['g'], 't')).toMatchObject({ shortcut: { description: 'Tasks' } });
    expect(matchShortcut(shortcuts, [], '?')).toMatchObject({ shortcut: { description: 'Help' } });
    expect(matchShortcut(shortcuts, [], 'o')).toBeNull();
  });

  it('starts over when a key does not continue the sequence', () => {
    // 'g' then 'x' is nothing; 'g' then 'g' starts a new 'g' sequence.
    expect(matchShortcut(shortcuts, ['g'], 'x')).toBeNull();
    expect(matchShortcut(shortcuts, ['g'], 'g')).toEqual({ pending: ['g'] });
    // 'g' then 't' is "go to tasks", never the start of 't t'; a lone 't' is.
    expect(matchShortcut(shortcuts, ['x'], 't')).toEqual({ pending: ['t'] });
    expect(matchShortcut(shortcuts, ['t'], 't')).toMatchObject({ shortcut: { description: 'Theme' } });
  });

  it('knows when the user is typing', () => {
    const input = document.createElement('input');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(isTypingTarget(input)).toBe(true);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(document.createElement('select'))).toBe(true);
    expect(isTypingTarget(checkbox)).toBe(false);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
