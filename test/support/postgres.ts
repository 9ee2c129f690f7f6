import { execFileSync } from 'node:child_process';
import { afterAll } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away PostgreSQL server the tests start and stop themselves. */
export interface TestPostgres {
  /** A connection string (Unix socket in a private directory; trust authentication). */
  url: string;
  stop(): Promise<void>;
  /** Stops the server abruptly and starts it again on the same data (a database restart under load). */
  restart(options?: { downMs?: number }): Promise<void>;
}

/**
 * Starts a PostgreSQL server from Debian's packages (`apt-get install postgresql`): `initdb` and
 * `pg_ctl` from the newest /usr/lib/postgresql/<version>/bin, run as the `postgres` user when
 * the tests run as root (PostgreSQL refuses root). Returns why not when it cannot: a suite then
 * skips with that reason — unless GONGJIAN_REQUIRE_PG=1 (CI), where it fails.
 */
export async function startPostgres(): Promise<TestPostgres | { unavailable: string }> {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  if (versions.length === 0) return { unavailable: `no PostgreSQL under ${base} (apt-get install postgresql)` };
  const bin = join(base, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
  const root = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (root) {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      owner = { uid, gid };
    } catch {
      return { unavailable: 'running as root and there is no postgres user to run the server as' };
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-pg-'));
  const data = join(dir, 'data');
  if (owner !== null) await chown(dir, owner.uid, owner.gid);
  const run = (command: string, args: string[]) =>
    execFileSync(
      owner === null ? join(bin, command) : 'runuser',
      owner === null ? args : ['-u', 'postgres', '--', join(bin, command), ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      },
    );
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-c listen_addresses='' -k ${dir} -p 5432 -c max_connections=200`,
      'start',
    ]);
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const detail = (err as { stderr?: string }).stderr ?? (err as Error).message;
    return { unavailable: `the test server did not start: ${detail.trim().split('\n').at(-1)}` };
  }
  const stop = (mode: 'fast' | 'immediate') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=5432`,
    async stop() {
      try {
        stop('fast');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async restart({ downMs = 0 } = {}) {
      stop('immediate');
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
  };
}

/** Whether a missing server fails the suite (CI) rather than skipping it. */
export const PG_REQUIRED = process.env.GONGJIAN_REQUIRE_PG === '1';

/**
 * A server for this test file: started now, stopped after its tests. Where none can be started
 * the suite gets why (to skip with it), except under GONGJIAN_REQUIRE_PG=1, where the file fails.
 */
export async function postgresForThisFile(): Promise<TestPostgres | { unavailable: string }> {
  const postgres = await startPostgres();
  if ('unavailable' in postgres && PG_REQUIRED) throw new Error(`PostgreSQL is required here: ${postgres.unavailable}`);
  afterAll(async () => {
    if ('url' in postgres) await postgres.stop();
  });
  return postgres;
}
