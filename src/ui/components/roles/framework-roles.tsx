import { useState } from 'react';

interface RoleNode {
  name: string;
  /** The full role when this node is itself one of the framework's roles. */
  role: string | null;
  children: RoleNode[];
}

/** Builds the `/`-separated role hierarchy (`eng/backend` under `eng`), as the Mesos UI's roles tree does. */
export function roleTree(roles: readonly string[]): RoleNode[] {
  const root: RoleNode = { name: '', role: null, children: [] };
  for (const role of [...roles].sort()) {
    let node = root;
    for (const part of role.split('/')) {
      let child = node.children.find((candidate) => candidate.name === part);
      if (!child) {
        child = { name: part, role: null, children: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.role = role;
  }
  return root.children;
}

function Tree({ nodes }: { nodes: RoleNode[] }) {
  return (
    <ul className="role-tree">
      {nodes.map((node) => (
        <li key={node.name}>
          <bdi className={node.role === null ? 'muted' : undefined} title={node.role ?? undefined}>
            {node.name}
          </bdi>
          {node.children.length > 0 && <Tree nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

const storageKey = (frameworkId: string) => `framework-roles-tree.${frameworkId}`;

function readOpen(frameworkId: string): boolean {
  try {
    return window.localStorage.getItem(storageKey(frameworkId)) === 'open';
  } catch {
    return false;
  }
}

/**
 * A framework's roles: one role as text; several as an "N roles" tree that opens and closes (the open state is
 * remembered per framework, like the Mesos UI).
 */
export function FrameworkRoles({ roles, frameworkId }: { roles: string[]; frameworkId: string }) {
  const [open, setOpen] = useState(() => readOpen(frameworkId));
  if (roles.length === 0) return <span className="muted">-</span>;
  if (roles.length === 1) return <bdi className="break">{roles[0]}</bdi>;
  return (
    <details
      className="roles-disclosure"
      open={open}
      onToggle={(event) => {
        const next = event.currentTarget.open;
        setOpen(next);
        try {
          window.localStorage.setItem(storageKey(frameworkId), next ? 'open' : 'closed');
        } catch {
          // Storage may be disabled; the tree still opens for this page.
        }
      }}
    >
      <summary>{roles.length} roles</summary>
      <Tree nodes={roleTree(roles)} />
    </details>
  );
}
