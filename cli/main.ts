import { Command } from 'commander';
import { StoreError } from '../store/index.ts';
import { registerServe } from './serve-command.ts';
import { registerToken } from './token-command.ts';
import { registerVerify } from './verify-command.ts';

async function main(): Promise<void> {
  const program = new Command('gongjian')
    .description('攻坚 Gongjian — workflow engine for county project-construction campaigns (八未)')
    .showHelpAfterError();
  registerServe(program);
  registerToken(program);
  registerVerify(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof StoreError) {
    console.error(`✗ ${err.zh}\n✗ ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
