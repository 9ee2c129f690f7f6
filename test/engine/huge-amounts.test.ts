import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, verify } from '../../engine/index.ts';
import { initialProjectSnapshot, projectMachine } from '../../machines/index.ts';
import { FileStore } from '../../store/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { fileEngine, input, memoryEngine } from './helpers.ts';

// Hardening issue, defect 1: `ALLOCATE_BOND {"amount": 1e308}` was accepted, the rounded total
// overflowed to Infinity, the checkpoint wrote null, and the same journal then replayed to a
// different state: the server refused to start while `verify` passed.

describe('huge amounts never corrupt state', () => {
  it('ALLOCATE_BOND beyond the money bound is refused with the bound named, and changes nothing', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input(), { actor: 'hq' });
    const outcome = await engine.send(
      'project',
      'p1',
      { type: 'ALLOCATE_BOND', amount: 1e308, at: '2022-08-02' },
      { actor: 'fin' },
    );
    expect(outcome).toMatchObject({
      status: 'rejected',
      rejection: {
        rule: 'quantityBound',
        zh: expect.stringContaining('1000000000'),
        en: expect.stringContaining('1000000000'),
      },
    });
    expect(engine.get('project', 'p1')?.context.bond).toEqual({ allocated: 0, disbursed: 0 });
  });

  it('allocations that together pass the bound are refused, naming the total', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ bond: { allocated: 9e8 } }), { actor: 'hq' });
    const outcome = await engine.send(
      'project',
      'p1',
      { type: 'ALLOCATE_BOND', amount: 2e8, at: '2022-08-02' },
      { actor: 'fin' },
    );
    expect(outcome).toMatchObject({
      status: 'rejected',
      rejection: { rule: 'quantityBound', zh: expect.stringContaining('1100000000') },
    });
  });

  it.each([
    ['plannedInvestment', { plannedInvestment: 1e308 }],
    ['land.requiredMu', { land: { requiredMu: 1e308, houses: 0 } }],
    ['land.houses', { land: { requiredMu: 1, houses: 1e308 } }],
    ['bond.allocated', { bond: { allocated: 1e308 } }],
    ['outputTarget', { outputTarget: 1e12 }],
    ['contractAmount', { stage: 'signed' as const, contractAmount: 1e10 }],
  ])('registration with a huge %s is refused naming the field and its bound', async (field, overrides) => {
    const engine = await memoryEngine();
    const outcome = await engine.create('project', input(overrides), { actor: 'hq' });
    expect(outcome.status).toBe('invalid');
    const problem = outcome.status === 'invalid' ? outcome.problems.find((p) => p.field === field) : undefined;
    expect(problem?.en).toMatch(/at most/);
  });

  it.each([
    ['SIGN', { type: 'SIGN', contractAmount: 1e300 }],
    ['REPORT_CLEARANCE', { type: 'REPORT_CLEARANCE', mu: 1e308, houses: 0 }],
    ['REPORT_CLEARANCE houses', { type: 'REPORT_CLEARANCE', mu: 0, houses: 1e308 }],
  ])('%s with a huge amount is refused by quantityBound', async (_name, event) => {
    const engine = await memoryEngine();
    await engine.create('project', input({ land: { requiredMu: 10, houses: 2 } }), { actor: 'hq' });
    const outcome = await engine.send('project', 'p1', { ...event, at: '2022-08-02' }, { actor: 'u' });
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { rule: 'quantityBound' } });
  });

  it('an amount that rounds to zero is refused as zero, not recorded as nothing', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ bond: { allocated: 10 } }), { actor: 'hq' });
    expect(
      await engine.send('project', 'p1', { type: 'DISBURSE_BOND', amount: 1e-7, at: '2022-08-02' }, { actor: 'fin' }),
    ).toMatchObject({ status: 'rejected', rejection: { rule: 'bondAmount' } });
  });

  it('a project restored from disk equals the live one after extreme but valid amounts', async () => {
    const dir = await tempDir();
    const engine = await fileEngine(dir);
    await engine.create('project', input({ plannedInvestment: 1e9, land: { requiredMu: 1e7, houses: 1e6 } }), {
      actor: 'hq',
    });
    await engine.send('project', 'p1', { type: 'ALLOCATE_BOND', amount: 1e9, at: '2022-08-02' }, { actor: 'fin' });
    await engine.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 9999999.9999, houses: 999999, at: '2022-08-02' },
      { actor: 'u' },
    );
    const live = engine.get('project', 'p1');
    await engine.close();
    const again = await fileEngine(dir);
    expect(again.get('project', 'p1')).toEqual(live);
    await again.close();
    expect((await verify(dir)).ok).toBe(true);
  });
});

/**
 * The reproduction as old code left it on disk: an allocation of 1e308 accepted (its record
 * serialised with `null`), a checkpoint, then one more accepted event — and a crash.
 */
async function corruptedDataDir(): Promise<string> {
  const live = await tempDir();
  const store = new FileStore(live);
  await store.open();
  const projectInput = input();
  const created = projectMachine.getPersistedSnapshot(initialProjectSnapshot(projectInput)) as unknown as {
    value: Record<string, string>;
    context: Record<string, unknown>;
  };
  const record = (version: number, bond: unknown, value: Record<string, string>) => ({
    entity: 'project' as const,
    id: 'p1',
    version,
    machineVersion: 1,
    snapshot: JSON.stringify({ ...created, value, context: { ...created.context, bond, lastEventAt: '2022-08-02' } }),
    tags: { unitId: 'park', stage: 'negotiating', wei: ['unsigned', 'bondUndisbursed'] },
    seq: 0,
  });
  const base = {
    entity: 'project' as const,
    id: 'p1',
    actor: 'fin',
    machineVersion: 1,
    recordedAt: '2022-08-02T00:00:00.000Z',
  };
  await store.commit(
    { ...base, kind: 'create', at: '2022-08-01', actor: 'hq', input: projectInput, version: 1 },
    { ...record(1, created.context.bond, created.value), snapshot: JSON.stringify(created) },
  );
  const allocated = { ...created.value, bond: 'allocated' };
  await store.commit(
    {
      ...base,
      kind: 'event',
      at: '2022-08-02',
      event: { type: 'ALLOCATE_BOND', amount: 1e308, at: '2022-08-02' },
      from: created.value,
      to: allocated,
      version: 2,
    },
    record(2, { allocated: null, disbursed: 0 }, allocated),
  );
  await store.checkpoint();
  await store.commit(
    {
      ...base,
      kind: 'event',
      at: '2022-08-02',
      event: { type: 'DISBURSE_BOND', amount: 5, at: '2022-08-02' },
      from: allocated,
      to: allocated,
      version: 3,
    },
    record(3, { allocated: null, disbursed: 5 }, allocated),
  );
  // kill -9 here: copy what is on disk, without the clean shutdown's checkpoint.
  const crashed = await tempDir();
  await mkdir(crashed, { recursive: true });
  for (const file of ['journal.jsonl', 'store.json']) await cp(join(live, file), join(crashed, file));
  await store.close();
  return crashed;
}

describe('verify replays exactly as start-up does', () => {
  it('a data directory that fails to start fails verify, naming the same entry', async () => {
    const dir = await corruptedDataDir();
    const engine = new Engine({ store: new FileStore(dir) });
    const startError = await engine.open().then(
      () => null,
      (err: Error) => err,
    );
    expect(startError?.message).toMatch(/journal entry 3\b/);
    await engine.close().catch(() => {});
    // The failed start released the directory without saving its partial replay.
    expect(JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'))).toMatchObject({ lastSeq: 2 });
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: 3, reason: expect.stringMatching(/start-up/) });
  });
});
