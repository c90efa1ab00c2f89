import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClusterText } from './cluster-text';
import { bidiControlsIn, escapeBidiInJson, revealBidiControls } from './reveal-bidi';
import '../../testing/test-utils';

describe('text from the cluster', () => {
  it('names, reveals and escapes bidi controls', () => {
    expect(bidiControlsIn('invoice\u202Etxt\u202E.exe\u2066')).toEqual(['U+202E RLO', 'U+2066 LRI']);
    expect(bidiControlsIn('plain <img src=x>')).toEqual([]);
    expect(revealBidiControls('invoice\u202Etxt.exe')).toBe('invoice[U+202E RLO]txt.exe');
    expect(escapeBidiInJson(JSON.stringify({ name: 'a\u202Eb' }))).toBe('{"name":"a\\u202Eb"}');
    expect(JSON.parse(escapeBidiInJson(JSON.stringify({ name: 'a\u202Eb' })))).toEqual({ name: 'a\u202Eb' });
  });

  it('renders markup as text, isolated in a <bdi>', () => {
    const { container } = render(<ClusterText text={'<img src=x onerror=alert(1)>'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('bdi')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(container.querySelector('.bidi-warning')).toBeNull();
  });

  it('keeps the real text but flags direction overrides', () => {
    const { container } = render(<ClusterText text={'invoice\u202Etxt.exe'} />);
    expect(container.querySelector('bdi')?.textContent).toBe('invoice\u202Etxt.exe');
    const warning = container.querySelector('.bidi-warning');
    expect(warning?.textContent).toBe('⇄ RLO');
    expect(warning?.getAttribute('title')).toContain('U+202E RLO');
  });

  it('cuts long values until asked', () => {
    const long = render(<ClusterText text={'W'.repeat(10_240)} max={100} />);
    expect(long.container.textContent).toBe(`${'W'.repeat(100)}… show all 10,240 characters`);
    fireEvent.click(screen.getByRole('button', { name: 'show all 10,240 characters' }));
    expect(screen.queryByRole('button', { name: /show all/ })).toBeNull();
    expect(screen.getByText('W'.repeat(10_240))).toBeTruthy();
  });
});
