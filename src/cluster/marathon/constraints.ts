/**
 * Marathon's placement constraints (constraints.md): `[field, operator, value?]` over an agent's `hostname`
 * (or `@hostname`, `@region`, `@zone`) and its attributes; regular expressions match the whole value.
 */

/** What placement knows of an agent: its reported hostname and attributes as text. */
export interface Placement {
  agentId: string;
  hostname: string;
  attributes: Record<string, string>;
}

export function fieldValue(agent: Placement, field: string): string | undefined {
  if (field === 'hostname' || field === '@hostname') return agent.hostname;
  if (field === '@region') return agent.attributes.region;
  if (field === '@zone') return agent.attributes.zone;
  return agent.attributes[field];
}

const fullMatch = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);

/**
 * True when a new instance may go to `candidate`, given where the app's other instances run and every
 * agent known (GROUP_BY spreads across the values those agents have).
 */
export function meetsConstraints(
  constraints: string[][],
  candidate: Placement,
  placed: Placement[],
  known: Placement[],
): boolean {
  return constraints.every(([field = '', operator, value]) => {
    const mine = fieldValue(candidate, field);
    if (operator === 'UNLIKE') return mine === undefined || !fullMatch(value ?? '', mine);
    if (mine === undefined) return false;
    const others = placed.map((p) => fieldValue(p, field));
    switch (operator) {
      case 'UNIQUE':
        return !others.includes(mine);
      case 'CLUSTER':
        if (value) return mine === value;
        return others.every((v) => v === mine);
      case 'LIKE':
        return fullMatch(value ?? '', mine);
      case 'IS':
        return mine === value;
      case 'MAX_PER':
        return others.filter((v) => v === mine).length < Number(value);
      case 'GROUP_BY': {
        const values = new Set(known.map((k) => fieldValue(k, field)).filter((v) => v !== undefined));
        const count = (v: string | undefined) => others.filter((o) => o === v).length;
        const fewest = Math.min(...[...values].map(count));
        return count(mine) <= fewest;
      }
      default:
        return false;
    }
  });
}
