import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../server/assets.ts';
import { StoreError } from '../engine/index.ts';
import { registerBackup, registerRestore } from './backup-command.ts';
import { boundHeapGrowth } from './heap-growth.ts';
import { registerMachines } from './machines-command.ts';
import { registerServe } from './serve-command.ts';
import { registerReport } from './report-command.ts';
import { registerScenario } from './scenario-command.ts';
import { registerSimulate } from './simulate-command.ts';
import { registerToken } from './token-command.ts';
import { registerUser } from './user-command.ts';
import { registerMigrate, registerVerify } from './verify-command.ts';

// `gongjian … | head` closes the pipe early: from then on stdout goes quiet, but the work
// (a report file, a journal) still completes. Neither a crash nor an early exit.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.stdout.write = (() => true) as typeof process.stdout.write;
});

boundHeapGrowth();

async function main(): Promise<void> {
  const { version } = JSON.parse(await readFile(join(packageRoot(import.meta.dirname), 'package.json'), 'utf8')) as {
    version: string;
  };
  const program = new Command('gongjian')
    .description('攻坚 Gongjian — workflow engine for county project-construction campaigns (八未)')
    .version(version)
    .showHelpAfterError();
  registerServe(program);
  registerSimulate(program);
  registerScenario(program);
  registerReport(program);
  registerToken(program);
  registerUser(program);
  registerVerify(program);
  registerMigrate(program);
  registerBackup(program);
  registerRestore(program);
  registerMachines(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof StoreError) {
    console.error(`✗ ${err.zh}\n✗ ${err.message}`);
  } else {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
