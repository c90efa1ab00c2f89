import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameworkRoles, roleTree } from './framework-roles';

afterEach(() => window.localStorage.clear());

describe('roleTree', () => {
  it('nests roles by their / separated paths, marking which nodes are roles', () => {
    const tree = roleTree(['eng/backend', 'eng', 'ops/db/replica', 'ads']);
    expect(tree.map((node) => node.name)).toEqual(['ads', 'eng', 'ops']);
    expect(tree[1]?.role).toBe('eng');
    expect(tree[1]?.children.map((node) => node.role)).toEqual(['eng/backend']);
    expect(tree[2]?.role).toBeNull();
    expect(tree[2]?.children[0]?.children[0]?.role).toBe('ops/db/replica');
  });
});

describe('FrameworkRoles', () => {
  it('shows one role as text and several as a tree whose open state is remembered', () => {
    const { unmount } = render(<FrameworkRoles roles={['web']} frameworkId="f1" />);
    expect(screen.getByText('web')).toBeTruthy();
    unmount();
    const first = render(<FrameworkRoles roles={['eng/a', 'eng/b']} frameworkId="f2" />);
    const details = first.container.querySelector('details');
    expect(screen.getByText('2 roles')).toBeTruthy();
    expect(details?.open).toBe(false);
    if (details) {
      details.open = true;
      fireEvent(details, new Event('toggle'));
    }
    expect(window.localStorage.getItem('framework-roles-tree.f2')).toBe('open');
    first.unmount();
    const second = render(<FrameworkRoles roles={['eng/a', 'eng/b']} frameworkId="f2" />);
    expect(second.container.querySelector('details')?.open).toBe(true);
  });
});
