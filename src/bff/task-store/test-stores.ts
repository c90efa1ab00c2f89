import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import {
  createDatabase,
  POSTGRES_INSTALL_HINT,
  postgresBinDir,
  startThrowawayPostgres,
} from '../testing/throwaway-postgres';
import type { ThrowawayPostgres } from '../testing/throwaway-postgres';
import { PostgresTaskStore } from './postgres-store';
import { SQLITE_FILE, SqliteTaskStore } from './sqlite-store';
import type { TaskStore } from './types';

export type TestStoreKind = 'SQLite' | 'PostgreSQL';

/** Where a test's store lives: a SQLite file in a directory of its own, or a PostgreSQL database of its own. */
export interface TestStorePlace {
  kind: TestStoreKind;
  where: string;
}

const bin = postgresBinDir();
if (!bin) console.warn(POSTGRES_INSTALL_HINT);

/** True when PostgreSQL is not installed here, so its tests are skipped. */
export const NO_POSTGRES = bin === null;

/** Every kind of store, each with whether this machine skips it: for `describe.each`. */
export const TEST_STORE_KINDS: ReadonlyArray<{ kind: TestStoreKind; skip: boolean }> = [
  { kind: 'SQLite', skip: false },
  { kind: 'PostgreSQL', skip: NO_POSTGRES },
];

// One throwaway PostgreSQL a test file, started on first use; every place made is removed after the file.
let postgres: Promise<ThrowawayPostgres> | null = null;
let databases = 0;
const dirs: string[] = [];
afterAll(async () => {
  await (await postgres)?.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** The test file's throwaway PostgreSQL server, to stop and start it; only where PostgreSQL is installed. */
export function testPostgres(): Promise<ThrowawayPostgres> {
  if (!bin) throw new Error(POSTGRES_INSTALL_HINT);
  postgres ??= startThrowawayPostgres(bin);
  return postgres;
}

/** A directory of its own, removed after the test file. */
export function testStoreDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-task-store-'));
  dirs.push(dir);
  return dir;
}

/** A new, empty place for a store of that kind. */
export async function newTestStorePlace(kind: TestStoreKind): Promise<TestStorePlace> {
  if (kind === 'SQLite') return { kind, where: path.join(testStoreDir(), SQLITE_FILE) };
  const server = await testPostgres();
  return { kind, where: createDatabase(server, bin!, `t${++databases}`) };
}

/** The BFF's `--task-store` (and data directory) that opens the store at that place. */
export function bffTaskStoreAt(place: TestStorePlace): { where: string; dataDir?: string } {
  if (place.kind === 'PostgreSQL') return { where: place.where };
  if (path.basename(place.where) !== SQLITE_FILE)
    throw new Error(`the BFF opens ${SQLITE_FILE}, not ${place.where}`);
  return { where: 'sqlite', dataDir: path.dirname(place.where) };
}

/** Opens a new store of that kind, or the store at that place, the way the BFF opens it. */
export function openTestStore(kind: 'SQLite', log?: (line: string) => void): Promise<SqliteTaskStore>;
export function openTestStore(
  kindOrPlace: TestStoreKind | TestStorePlace,
  log?: (line: string) => void,
): Promise<TaskStore>;
export async function openTestStore(
  kindOrPlace: TestStoreKind | TestStorePlace,
  log?: (line: string) => void,
): Promise<TaskStore> {
  const place = typeof kindOrPlace === 'string' ? await newTestStorePlace(kindOrPlace) : kindOrPlace;
  return place.kind === 'SQLite'
    ? SqliteTaskStore.open(place.where, log)
    : PostgresTaskStore.open(place.where, log);
}
