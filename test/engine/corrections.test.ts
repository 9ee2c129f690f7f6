import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, verify } from '../../engine/index.ts';
import { FileStore, MemoryStore, type Store } from '../../store/index.ts';
import { campaignEngine } from '../support/campaign.ts';
import { tempDir } from '../support/temp-dir.ts';
import { ALL_PERMITS } from './helpers.ts';

const clock = () => '2022-09-30T12:00:00.000+08:00';

/** A project that cleared its land (two reports) and then started. */
async function history(store: Store = new MemoryStore()) {
  const { engine, campaigns } = await campaignEngine(
    { days: 60, units: [{ id: 'park', name: '高新区', group: 'park' }] },
    { store, today: '2022-09-30', actor: 'hq-1' },
  );
  await engine.create(
    'project',
    {
      id: 'p1',
      name: '晶彩电子二期',
      unitId: 'park',
      plannedInvestment: 30000,
      stage: 'signed',
      permits: [...ALL_PERMITS],
      land: { requiredMu: 10, houses: 2 },
      bond: { allocated: 100 },
      asOf: '2022-07-30',
    },
    { actor: 'hq-1' },
  );
  await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq-1');
  const send = (event: object) => engine.send('project', 'p1', event, { actor: 'park-1' });
  const first = await send({ type: 'REPORT_CLEARANCE', mu: 6, houses: 1, at: '2022-08-05' });
  const second = await send({ type: 'REPORT_CLEARANCE', mu: 4, houses: 1, at: '2022-08-20' });
  const start = await send({ type: 'START_CONSTRUCTION', at: '2022-08-25' });
  const bond = await engine.send(
    'project',
    'p1',
    { type: 'DISBURSE_BOND', amount: 30, at: '2022-08-26' },
    { actor: 'fin-1' },
  );
  if ([first, second, start, bond].some((o) => o.status !== 'accepted')) throw new Error('setup failed');
  const seq = (o: typeof first) => (o.status === 'accepted' ? o.seq : 0);
  return { engine, campaigns, first: seq(first), second: seq(second), start: seq(start), bond: seq(bond) };
}

describe('corrections (更正): superseding an accepted event without rewriting it', () => {
  it('an amount corrected: the project and the totals move, the history keeps both records', async () => {
    const { engine, campaigns, bond } = await history();
    expect((await campaigns.report('c'))!.totals.bondDisbursedWan).toBe(30);
    const outcome = await engine.correct(
      'project',
      'p1',
      { seq: bond, event: { type: 'DISBURSE_BOND', amount: 25, at: '2022-08-26' }, reason: '拨付凭证为 25 万元' },
      { actor: 'hq-1' },
    );
    expect(outcome.status).toBe('accepted');
    expect(engine.get('project', 'p1')!.context.bond?.disbursed).toBe(25);
    expect((await campaigns.report('c'))!.totals.bondDisbursedWan).toBe(25);
    const entries = await engine.history('project', 'p1');
    expect(entries.find((e) => e.seq === bond)).toMatchObject({ kind: 'event', event: { amount: 30 } });
    expect(entries.at(-1)).toMatchObject({ kind: 'correction', supersedes: bond, reason: '拨付凭证为 25 万元' });
  });

  it('a clearance corrected downwards is refused when the later start relied on it (land then short)', async () => {
    const { engine, first } = await history();
    const outcome = await engine.correct(
      'project',
      'p1',
      {
        seq: first,
        event: { type: 'REPORT_CLEARANCE', mu: 5, houses: 1, at: '2022-08-05' },
        reason: '丈量复核为 5 亩',
      },
      { actor: 'hq-1' },
    );
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(10);
  });

  it('a correction that would break a later event is refused, naming that event, its rule and numbers', async () => {
    const { engine, second } = await history();
    const outcome = await engine.correct(
      'project',
      'p1',
      { seq: second, void: true, reason: '重复上报' },
      { actor: 'hq-1' },
    );
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { rule: expect.any(String) } });
    if (outcome.status !== 'rejected') throw new Error('expected a refusal');
    expect(outcome.rejection.zh).toMatch(/START_CONSTRUCTION/);
    expect(outcome.rejection.en).toMatch(/no longer holds/);
    // Nothing changed; the refusal is on record.
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(10);
    expect((await engine.history('project', 'p1')).at(-1)).toMatchObject({ kind: 'refusal', supersedes: second });
  });

  it('an event voided: the state is re-derived through the machine (a start voided: signed, 八未 back)', async () => {
    const { engine, campaigns, start } = await history();
    expect((await campaigns.report('c'))!.totals.parkStarts).toBe(1);
    const outcome = await engine.correct(
      'project',
      'p1',
      { seq: start, void: true, reason: '误报开工' },
      { actor: 'hq-1' },
    );
    expect(outcome.status).toBe('accepted');
    expect(engine.get('project', 'p1')!.value.lifecycle).toBe('signed');
    expect(engine.tags('project', 'p1')!.wei).toContain('unstarted');
    expect((await campaigns.report('c'))!.totals.parkStarts).toBe(0);
    // The live actor follows the corrected history: starting again is accepted.
    const again = await engine.send(
      'project',
      'p1',
      { type: 'START_CONSTRUCTION', at: '2022-09-01' },
      { actor: 'park-1' },
    );
    expect(again.status).toBe('accepted');
  });

  it('bad corrections are refused before anything is journalled: no reason, not an event, another type', async () => {
    const { engine, first, start } = await history();
    const length = (await engine.history('project', 'p1')).length;
    expect(
      await engine.correct('project', 'p1', { seq: first, void: true, reason: ' ' }, { actor: 'hq-1' }),
    ).toMatchObject({
      status: 'invalid',
      field: 'reason',
    });
    expect(await engine.correct('project', 'p1', { seq: 1, void: true, reason: 'x' }, { actor: 'hq-1' })).toMatchObject(
      {
        status: 'invalid',
        field: 'seq',
      },
    );
    expect(
      await engine.correct(
        'project',
        'p1',
        { seq: start, event: { type: 'COMPLETE', at: '2022-08-25' }, reason: 'x' },
        { actor: 'hq-1' },
      ),
    ).toMatchObject({ status: 'invalid', field: 'event' });
    expect((await engine.history('project', 'p1')).length).toBe(length);
  });

  it('a mistaken date is fixed by a correction; a correction into the future is refused', async () => {
    const { engine, second } = await history();
    const future = await engine.correct(
      'project',
      'p1',
      { seq: second, event: { type: 'REPORT_CLEARANCE', mu: 4, houses: 1, at: '2022-10-20' }, reason: '日期' },
      { actor: 'hq-1' },
    );
    expect(future).toMatchObject({ status: 'rejected' });
    const fixed = await engine.correct(
      'project',
      'p1',
      { seq: second, event: { type: 'REPORT_CLEARANCE', mu: 4, houses: 1, at: '2022-08-19' }, reason: '日期填错' },
      { actor: 'hq-1' },
    );
    expect(fixed.status).toBe('accepted');
  });

  it('replay equals live and verify passes with corrections; a tampered correction is caught', async () => {
    const dir = await tempDir();
    const { engine, first, start } = await history(new FileStore(dir));
    await engine.correct(
      'project',
      'p1',
      { seq: first, event: { type: 'REPORT_CLEARANCE', mu: 5, houses: 1, at: '2022-08-05' }, reason: '复核' },
      { actor: 'hq-1' },
    );
    await engine.correct('project', 'p1', { seq: start, void: true, reason: '误报' }, { actor: 'hq-1' });
    await engine.send(
      'project',
      'p1',
      { type: 'REPORT_CLEARANCE', mu: 1, houses: 0, at: '2022-09-01' },
      { actor: 'park-1' },
    );
    const live = engine.get('project', 'p1')!;
    // Close without a checkpoint's help: the restart replays every entry.
    await (engine.store as FileStore).close({ checkpoint: false });
    const again = new Engine({ store: new FileStore(dir), clock });
    await again.open();
    expect(again.get('project', 'p1')).toEqual(live);
    await again.close();
    expect(await verify(dir)).toMatchObject({ ok: true });
    const path = join(dir, 'journal.jsonl');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"reason":"误报"', '"reason":"无"'));
    expect(await verify(dir)).toMatchObject({
      ok: false,
      firstBad: { reason: expect.stringMatching(/hash mismatch/) },
    });
  });

  it('time travel shows the correction as a step, with the state it gave', async () => {
    const { engine, start } = await history();
    await engine.correct('project', 'p1', { seq: start, void: true, reason: '误报开工' }, { actor: 'hq-1' });
    const steps = await engine.replay('project', 'p1');
    expect(steps.at(-1)).toMatchObject({ kind: 'correction', supersedes: start, void: true, reason: '误报开工' });
    expect((steps.at(-1)!.value as { lifecycle: string }).lifecycle).toBe('signed');
    expect((steps.at(-2)!.value as { lifecycle: string }).lifecycle).toBe('underConstruction');
  });
});
