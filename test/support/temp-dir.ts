import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh temp directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

const kept: string[] = [];

/** A fresh temp directory that lives until the test file's process exits (for fixtures built once per file). */
export async function fileLifetimeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-'));
  kept.push(dir);
  return dir;
}

process.once('exit', () => {
  for (const dir of kept) rmSync(dir, { recursive: true, force: true });
});
