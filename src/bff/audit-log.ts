/**
 * The operations audit log: one JSON object a line, appended to `<data-dir>/audit.log` (or kept in memory when
 * there is no data directory), each naming who asked for what, on which target, when, and what came of it.
 */
import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntryView as AuditEntry } from './schemas/views';

export type { AuditEntry };

/** Entries kept in memory for `GET /api/audit` when nothing is written to disk. */
const MEMORY_ENTRIES = 1_000;
/** The newest entries `GET /api/audit` returns. */
const AUDIT_PAGE = 500;
/** How much of the end of the file is read for them: the log only grows, the page stays small. */
const TAIL_BYTES = 1024 * 1024;

export class AuditLog {
  private readonly memory: AuditEntry[] = [];
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly dataDir: string | null) {}

  get file(): string | null {
    return this.dataDir ? path.join(this.dataDir, 'audit.log') : null;
  }

  /** Appends an entry; entries are written in the order they are recorded. */
  record(entry: AuditEntry): Promise<void> {
    const file = this.file;
    if (!file) {
      this.memory.push(entry);
      if (this.memory.length > MEMORY_ENTRIES) this.memory.shift();
      return Promise.resolve();
    }
    const line = `${JSON.stringify(entry)}\n`;
    this.writes = this.writes
      .catch(() => undefined)
      .then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        await appendFile(file, line, { mode: 0o600 });
      });
    return this.writes;
  }

  /** The newest entries, newest first; lines that are not entries (a hand edit, a torn write) are skipped. */
  async recent(limit = AUDIT_PAGE): Promise<AuditEntry[]> {
    const file = this.file;
    if (!file) return this.memory.slice(-limit).reverse();
    await this.writes.catch(() => undefined);
    let text: string;
    let cut: boolean;
    try {
      const handle = await open(file, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, TAIL_BYTES);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        text = buffer.toString('utf8');
        cut = size > length;
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    const lines = text.split('\n');
    // The first line of a tail may be the end of an older entry.
    if (cut) lines.shift();
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        const parsed = JSON.parse(line) as AuditEntry;
        if (typeof parsed === 'object' && parsed !== null && typeof parsed.action === 'string')
          entries.push(parsed);
      } catch {
        // Not an entry: skipped, the rest still shown.
      }
    }
    return entries;
  }
}
