// Child process for the crash test: commits events forever, printing each acknowledgement.
// The parent kills it with SIGKILL at a random moment.
import { Engine } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';

const dir = process.argv[2]!;
const engine = new Engine({ store: new FileStore(dir, { checkpointEvery: 50 }) });
await engine.open();
const ids = ['a', 'b', 'c', 'd'];
for (const id of ids) {
  if (engine.get('project', id) === undefined) {
    await engine.create(
      'project',
      { id, name: `项目${id}`, unitId: 'u1', plannedInvestment: 1000, asOf: '2022-08-01', bond: { allocated: 1 } },
      { actor: 'hq' },
    );
  }
}
process.stdout.write('ready\n');
let n = 0;
await Promise.all(
  ids.map(async (id) => {
    for (;;) {
      n += 1;
      // Mostly accepted allocations, now and then a refused over-disbursement.
      const event =
        n % 5 === 0
          ? { type: 'DISBURSE_BOND', amount: 1e9, at: '2022-08-02' }
          : { type: 'ALLOCATE_BOND', amount: 1, at: '2022-08-02' };
      const outcome = await engine.send('project', id, event, { actor: 'fin' });
      if (outcome.status === 'accepted' || outcome.status === 'rejected')
        process.stdout.write(`ack ${outcome.seq} ${id} ${outcome.status} ${outcome.version}\n`);
    }
  }),
);
