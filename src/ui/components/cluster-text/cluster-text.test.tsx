import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClusterText } from './cluster-text';
import { revealBidiControls } from './reveal-bidi';
import '../../testing/test-utils';

describe('text from the cluster', () => {
  it('makes bidi controls visible', () => {
    expect(revealBidiControls('invoice\u202Etxt.exe')).toBe('invoice[U+202E RLO]txt.exe');
    expect(revealBidiControls('a\u2066b\u2069c\u200F')).toBe('a[U+2066 LRI]b[U+2069 PDI]c[U+200F RLM]');
    expect(revealBidiControls('plain <img src=x>')).toBe('plain <img src=x>');
  });

  it('renders markup as text, isolated, and cuts long values until asked', () => {
    const { container } = render(<ClusterText text={'<img src=x onerror=alert(1)>'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('bdi')?.textContent).toBe('<img src=x onerror=alert(1)>');

    const long = render(<ClusterText text={'W'.repeat(10_240)} max={100} />);
    expect(long.container.textContent).toBe(`${'W'.repeat(100)}… show all 10,240 characters`);
    fireEvent.click(screen.getByRole('button', { name: 'show all 10,240 characters' }));
    expect(screen.queryByRole('button', { name: /show all/ })).toBeNull();
    expect(screen.getByText('W'.repeat(10_240))).toBeTruthy();
  });
});
