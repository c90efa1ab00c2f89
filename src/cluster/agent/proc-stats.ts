import { readFile, readdir } from 'node:fs/promises';

/** CPU and memory use of one process group, read from `/proc`. */
export interface GroupUsage {
  cpusUserTimeSecs: number;
  cpusSystemTimeSecs: number;
  memRssBytes: number;
}

/** USER_HZ on Linux: /proc/<pid>/stat times are in 1/100 s. */
const CLK_TCK = 100;

/**
 * Sums utime/stime (plus the times of already-reaped children) and VmRSS over every live
 * process in each of the given process groups. Returns an empty map where `/proc` is absent.
 */
export async function readGroupUsage(pgids: ReadonlySet<number>): Promise<Map<number, GroupUsage>> {
  const usage = new Map<number, GroupUsage>();
  if (pgids.size === 0) return usage;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return usage;
  }
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (pid) => {
        try {
          const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
          // The command name is in parentheses and may contain spaces: parse after the last ')'.
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const pgrp = Number(fields[2]);
          if (!pgids.has(pgrp)) return;
          const ticks = (i: number): number => Number(fields[i] ?? 0);
          const user = (ticks(11) + ticks(13)) / CLK_TCK; // utime + cutime
          const system = (ticks(12) + ticks(14)) / CLK_TCK; // stime + cstime
          const status = await readFile(`/proc/${pid}/status`, 'utf8');
          const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
          const current = usage.get(pgrp) ?? { cpusUserTimeSecs: 0, cpusSystemTimeSecs: 0, memRssBytes: 0 };
          current.cpusUserTimeSecs += user;
          current.cpusSystemTimeSecs += system;
          current.memRssBytes += rssKb * 1024;
          usage.set(pgrp, current);
        } catch {
          // The process exited while we were reading it.
        }
      }),
  );
  for (const value of usage.values()) {
    value.cpusUserTimeSecs = Math.round(value.cpusUserTimeSecs * 100) / 100;
    value.cpusSystemTimeSecs = Math.round(value.cpusSystemTimeSecs * 100) / 100;
  }
  return usage;
}
