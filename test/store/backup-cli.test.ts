import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Engine, FileStore, parseScenario, simulate } from '../../engine/index.ts';
import { BIN } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { readFile } from 'node:fs/promises';

const run = (...args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 10_000_000 });

describe('gongjian backup and restore, end to end with verify', { timeout: 120_000 }, () => {
  it('backs up a data directory, restores it elsewhere, and the restored one starts with the same state', async () => {
    const scenario = parseScenario(
      JSON.parse(await readFile(join(import.meta.dirname, '../../scenarios/chaling-2022.json'), 'utf8')),
    );
    const dir = await tempDir();
    const review = { events: { REPORT_CLEARANCE: ['naturalResources' as const, 'hq' as const] } };
    await (await simulate(scenario, { store: new FileStore(dir), review, approveAfterDays: 0 })).engine.close();
    const backup = join(await tempDir(), 'backup');
    const made = await run('backup', '--data', dir, '--to', backup);
    expect(made.stdout).toMatch(/journal entries verified/);
    const restored = join(await tempDir(), 'restored');
    const back = await run('restore', '--from', backup, '--data', restored);
    expect(back.stdout).toMatch(/restored .* entries verified/s);
    const open = async (d: string) => {
      const engine = new Engine({ store: new FileStore(d, { readOnly: true }) });
      await engine.open();
      return engine;
    };
    const [a, b] = [await open(dir), await open(restored)];
    expect(b.summaries('project')).toEqual(a.summaries('project'));
    expect(b.store.position()).toBe(a.store.position());
    // A damaged backup is refused before anything is restored.
    await writeFile(
      join(backup, 'journal.jsonl'),
      (await readFile(join(backup, 'journal.jsonl'), 'utf8')).replace('"mu":64', '"mu":65'),
    );
    const target = join(await tempDir(), 'never');
    const refused = await run('restore', '--from', backup, '--data', target).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/does not verify/);
    await rm(target, { recursive: true, force: true });
  });
});
