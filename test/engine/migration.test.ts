import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { fileEngine, input } from './helpers.ts';

/** Writes a project, closes, then lets `edit` rewrite the checkpoint's record. */
/** A checkpoint record as written on disk (its snapshot an object), for tests that tamper with it. */
interface RawRecord {
  machineVersion: number;
  snapshot: { value: Record<string, string>; context: Record<string, unknown> };
}

async function checkpointWith(edit: (record: RawRecord) => void): Promise<string> {
  const dir = await tempDir();
  const engine = await fileEngine(dir);
  await engine.create('project', input({ stage: 'signed' }), { actor: 'hq' });
  await engine.close();
  const path = join(dir, 'store.json');
  const checkpoint = JSON.parse(await readFile(path, 'utf8'));
  // The checkpoint keeps each snapshot as JSON text (format 2): edited as an object.
  const record = checkpoint.records[0];
  record.snapshot = JSON.parse(record.snapshot);
  edit(record);
  record.snapshot = JSON.stringify(record.snapshot);
  await writeFile(path, JSON.stringify(checkpoint));
  return dir;
}

describe('machine versions', () => {
  it('a v0 snapshot (no stage mirror, no green channel) is migrated on load and works', async () => {
    const dir = await checkpointWith((record) => {
      record.machineVersion = 0;
      delete record.snapshot.context.stage;
      delete record.snapshot.context.greenChannel;
    });
    const engine = await fileEngine(dir);
    const view = engine.get('project', 'p1')!;
    expect(view.machineVersion).toBe(1);
    expect(view.context.stage).toBe('signed');
    expect(view.context.greenChannel).toBeNull();
    expect(
      await engine.send('project', 'p1', { type: 'GREEN_CHANNEL', at: '2022-08-02' }, { actor: 'hq' }),
    ).toMatchObject({ status: 'accepted' });
    await engine.close();
  });

  it('a snapshot from a newer machine version refuses to load, never a silent reset', async () => {
    const dir = await checkpointWith((record) => {
      record.machineVersion = 99;
    });
    const error = (await fileEngine(dir).catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('snapshotFromNewerVersion');
    expect(error.message).toMatch(/version 99, newer than this program's 1/);
  });

  it('a snapshot in a state the machine no longer has refuses to load', async () => {
    const dir = await checkpointWith((record) => {
      record.snapshot.value.lifecycle = 'approved';
    });
    await expect(fileEngine(dir)).rejects.toMatchObject({ code: 'unknownState' });
  });
});
