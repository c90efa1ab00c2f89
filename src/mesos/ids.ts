/** Shortens a Mesos ID to its distinctive tail: `9d4b2f2b-a759-4458-bebf-7d3507a6f0ca-S9` → `…7d3507a6f0ca-S9`. */
export function truncateMesosId(id: string): string {
  const parts = id.split('-');
  return parts.length > 4 ? `…${parts.slice(4).join('-')}` : id;
}

export interface Pid {
  /** libprocess process id, e.g. `slave(1)` or `master`. */
  id: string;
  ip: string;
  port: number;
}

/** Splits a libprocess pid such as `slave(1)@10.0.0.5:5051`; null if it is not one. */
export function parsePid(pid: string): Pid | null {
  const at = pid.indexOf('@');
  const colon = pid.lastIndexOf(':');
  if (at <= 0 || colon <= at + 1) return null;
  const portText = pid.slice(colon + 1);
  if (!/^\d+$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  return { id: pid.slice(0, at), ip: pid.slice(at + 1, colon), port };
}
