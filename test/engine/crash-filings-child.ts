// Child process for the crash test of filings and corrections: files, approves (two entries
// committed as one) and corrects forever, printing each acknowledgement; the parent SIGKILLs it.
import { CampaignService, Engine, FilingService } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';

const dir = process.argv[2]!;
const engine = new Engine({
  store: new FileStore(dir, { checkpointEvery: 50 }),
  clock: () => '2022-08-10T12:00:00.000+08:00',
});
await engine.open();
const campaigns = new CampaignService(engine);
const filings = new FilingService(engine);
if (engine.get('campaign', 'c') === undefined) {
  await campaigns.create(
    {
      id: 'c',
      name: '百日攻坚',
      start: '2022-08-01',
      days: 60,
      units: [{ id: 'u1', name: '一号镇', group: 'township' }],
      targets: {},
      review: { events: { ALLOCATE_BOND: ['finance'] } },
    },
    'hq',
  );
  await campaigns.send('c', { type: 'START', at: '2022-08-01' }, 'hq');
}
const ids = ['a', 'b', 'c', 'd'];
for (const id of ids)
  if (engine.get('project', id) === undefined)
    await engine.create(
      'project',
      { id, name: `项目${id}`, unitId: 'u1', plannedInvestment: 1000, asOf: '2022-08-01', bond: { allocated: 1 } },
      { actor: 'hq' },
    );
process.stdout.write('ready\n');
let n = 0;
const allocation = { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-10' };
await Promise.all(
  ids.map(async (id) => {
    for (;;) {
      n += 1;
      const fid = `${id}-${process.pid}-${n}`;
      const filed = await filings.file(id, allocation, [], { actor: 'u1' }, fid);
      if (filed.status !== 'filed' || filed.outcome.status !== 'accepted') continue;
      process.stdout.write(`ack ${filed.outcome.steps[0]!.seq} ${fid} filed 1\n`);
      const approved = await filings.review(fid, { type: 'APPROVE', at: '2022-08-10' }, { actor: 'fin' });
      if (approved.status !== 'accepted' || !('steps' in approved)) continue;
      const applied = approved.steps.find((s) => s.kind === 'project')!;
      process.stdout.write(`ack ${applied.seq} ${id} approved ${applied.version}\n`);
      if (n % 3 !== 0) continue;
      const correction = { seq: applied.seq, event: { ...allocation, amount: 2 }, reason: '核定为 2 万元' };
      const corrected = await engine.correct('project', id, correction, { actor: 'hq' });
      if (corrected.status === 'accepted')
        process.stdout.write(`ack ${corrected.seq} ${id} corrected ${corrected.version}\n`);
    }
  }),
);
