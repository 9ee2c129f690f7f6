import { describe, expect, it } from 'vitest';
import { fileEngine, input, memoryEngine } from './helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

const sign = { type: 'SIGN', contractAmount: 12000, at: '2022-08-02' };

describe('engine', () => {
  it('an accepted event returns the new version, states and 八未, and is in the history', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ land: { requiredMu: 10, houses: 0 } }), { actor: 'hq-1' });
    const outcome = await engine.send('project', 'p1', sign, { actor: 'park-1' });
    expect(outcome).toMatchObject({
      status: 'accepted',
      version: 2,
      from: { lifecycle: 'negotiating' },
      to: { lifecycle: 'signed' },
    });
    expect(engine.tags('project', 'p1')).toMatchObject({ wei: ['unstarted', 'landUncleared'] });
    const history = await engine.history('project', 'p1');
    expect(history.map((e) => [e.kind, e.actor, e.version])).toEqual([
      ['create', 'hq-1', 1],
      ['event', 'park-1', 2],
    ]);
  });

  it('a rejected event changes nothing, says which rule failed with the numbers, and is journalled', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ stage: 'signed', permits: [] }), { actor: 'hq-1' });
    const before = engine.get('project', 'p1');
    const outcome = await engine.send(
      'project',
      'p1',
      { type: 'START_CONSTRUCTION', at: '2022-08-05' },
      { actor: 'park-1' },
    );
    expect(outcome).toMatchObject({
      status: 'rejected',
      version: 1,
      rejection: { rule: 'permitsIncomplete', zh: expect.stringContaining('已办 0/4') },
    });
    expect(engine.get('project', 'p1')).toEqual(before);
    expect((await engine.history('project', 'p1')).at(-1)).toMatchObject({
      kind: 'refusal',
      actor: 'park-1',
      rejection: { rule: 'permitsIncomplete' },
    });
  });

  it('a stale expected version is a conflict and changes nothing', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input(), { actor: 'hq-1' });
    await engine.send('project', 'p1', sign, { actor: 'a', ifMatch: ['1'] });
    expect(
      await engine.send(
        'project',
        'p1',
        { type: 'DROP', reason: 'x', at: '2022-08-03' },
        { actor: 'b', ifMatch: ['1'] },
      ),
    ).toEqual({
      status: 'conflict',
      id: 'p1',
      version: 2,
      ifMatch: ['1'],
    });
    expect(engine.get('project', 'p1')?.value.lifecycle).toBe('signed');
  });

  it('peek (the live actor) gives what get (the record) gives, after accepted and refused events', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ land: { requiredMu: 10, houses: 0 }, bond: { allocated: 1 } }), {
      actor: 'hq-1',
    });
    expect(engine.peek('project', 'p1')).toEqual(engine.get('project', 'p1'));
    const events = [
      sign,
      { type: 'ALLOCATE_BOND', amount: 5, at: '2022-08-03' },
      { type: 'DISBURSE_BOND', amount: 2, at: '2022-08-04' },
      { type: 'DISBURSE_BOND', amount: 99, at: '2022-08-05' },
      { type: 'CLEAR_LAND', mu: 4, at: '2022-08-06' },
    ];
    const statuses: string[] = [];
    for (const event of events) {
      statuses.push((await engine.send('project', 'p1', event, { actor: 'fin-1' })).status);
      // A stepped record's text, made when read, parses to the live state (JSON drops undefined).
      expect(JSON.parse(JSON.stringify(engine.peek('project', 'p1')))).toEqual(engine.get('project', 'p1'));
    }
    expect(statuses).toContain('rejected');
    expect(statuses.filter((s) => s === 'accepted').length).toBeGreaterThanOrEqual(3);
    expect(engine.peek('project', 'nope')).toBeUndefined();
  });

  it('an unknown project is notFound', async () => {
    expect(await (await memoryEngine()).send('project', 'nope', sign, { actor: 'a' })).toEqual({
      status: 'notFound',
      id: 'nope',
    });
  });

  it('invalid input is refused with every problem; a duplicate id is refused', async () => {
    const engine = await memoryEngine();
    const bad = await engine.create(
      'project',
      { ...input(), plannedInvestment: -1, land: { requiredMu: 1, houses: 0, clearedMu: 2 } },
      { actor: 'hq' },
    );
    expect(bad.status).toBe('invalid');
    expect(bad.status === 'invalid' && bad.problems.map((p) => p.field)).toEqual([
      'plannedInvestment',
      'land.clearedMu',
    ]);
    await engine.create('project', input(), { actor: 'hq' });
    expect(await engine.create('project', input(), { actor: 'hq' })).toMatchObject({ status: 'exists', id: 'p1' });
  });

  it('events for one project sent at once are applied strictly one after another', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ bond: { allocated: 100 } }), { actor: 'hq' });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        engine.send('project', 'p1', { type: 'DISBURSE_BOND', amount: 7, at: '2022-08-02' }, { actor: 'fin' }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(14);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(6);
    expect(outcomes.map((o) => ('version' in o ? o.version : 0))).toEqual([
      ...Array.from({ length: 14 }, (_, i) => i + 2),
      15,
      15,
      15,
      15,
      15,
      15,
    ]);
    expect(engine.get('project', 'p1')?.context.bond.disbursed).toBe(98);
  });

  it('a retry with the same idempotency key returns the first outcome and applies once', async () => {
    const engine = await memoryEngine();
    await engine.create('project', input({ bond: { allocated: 100 } }), { actor: 'hq' });
    const event = { type: 'DISBURSE_BOND', amount: 10, at: '2022-08-02' };
    const first = await engine.send('project', 'p1', event, { actor: 'fin', idempotencyKey: 'k1' });
    const retry = await engine.send('project', 'p1', event, { actor: 'fin', idempotencyKey: 'k1' });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(engine.get('project', 'p1')?.context.bond.disbursed).toBe(10);
    expect(
      await engine.send('project', 'p1', { ...event, amount: 11 }, { actor: 'fin', idempotencyKey: 'k1' }),
    ).toMatchObject({ status: 'keyReused' });
  });

  it('an idempotency key is still recognised after a restart', async () => {
    const dir = await tempDir();
    let engine = await fileEngine(dir);
    await engine.create('project', input({ bond: { allocated: 100 } }), { actor: 'hq', idempotencyKey: 'create-1' });
    const event = { type: 'DISBURSE_BOND', amount: 10, at: '2022-08-02' };
    const first = await engine.send('project', 'p1', event, { actor: 'fin', idempotencyKey: 'k1' });
    await engine.close();
    engine = await fileEngine(dir);
    expect(await engine.send('project', 'p1', event, { actor: 'fin', idempotencyKey: 'k1' })).toEqual({
      ...first,
      replayed: true,
    });
    expect(
      await engine.create('project', input({ bond: { allocated: 100 } }), { actor: 'hq', idempotencyKey: 'create-1' }),
    ).toMatchObject({ status: 'created', replayed: true });
    expect(engine.get('project', 'p1')?.context.bond.disbursed).toBe(10);
    await engine.close();
  });

  it('every journalled change is announced to subscribers', async () => {
    const engine = await memoryEngine();
    const seen: string[] = [];
    engine.subscribe((n) => seen.push(`${n.kind}:${(n.event as { type: string }).type}`));
    await engine.create('project', input(), { actor: 'hq' });
    await engine.send('project', 'p1', sign, { actor: 'a' });
    await engine.send('project', 'p1', sign, { actor: 'a' });
    expect(seen).toEqual(['create:CREATE', 'event:SIGN', 'refusal:SIGN']);
  });

  it('lists projects by unit, stage and 八未 key', async () => {
    const engine = await memoryEngine();
    await engine.create(
      'project',
      input({ id: 'a', unitId: 'u1', stage: 'signed', land: { requiredMu: 1, houses: 0 } }),
      { actor: 'hq' },
    );
    await engine.create('project', input({ id: 'b', unitId: 'u2', stage: 'signed' }), { actor: 'hq' });
    expect(engine.list('project', { wei: 'landUncleared' }).map((p) => p.id)).toEqual(['a']);
    expect(engine.list('project', { unitId: 'u2' }).map((p) => p.id)).toEqual(['b']);
    expect(engine.list('project', { stage: 'signed' })).toHaveLength(2);
  });
});
