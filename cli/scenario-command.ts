import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { generateScenario } from '../engine/generate.ts';
import { parseScenario } from '../engine/index.ts';

const whole = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be a whole number ≥ ${min} (got ${value}) / ${name} 须为不小于 ${min} 的整数`);
  return n;
};

export function registerScenario(program: Command): void {
  const scenario = program.command('scenario').description('scenario files / 场景文件');
  scenario
    .command('generate')
    .description('a seeded, realistic campaign of any size (JSON on stdout, or --out) / 生成场景')
    .requiredOption('--projects <n>', 'number of projects')
    .requiredOption('--units <n>', 'number of responsible units (at least 4)')
    .option('--seed <n>', 'seed', '1')
    .option('--days <n>', 'campaign length in days', '100')
    .option('--start <date>', 'day 1 of the campaign', '2022-08-01')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (o: { projects: string; units: string; seed: string; days: string; start: string; out?: string }) => {
      const generated = parseScenario(
        generateScenario({
          projects: whole('--projects', o.projects, 1),
          units: whole('--units', o.units, 4),
          seed: whole('--seed', o.seed, 0),
          days: whole('--days', o.days, 1),
          start: o.start,
        }),
      );
      const text = `${JSON.stringify(generated, null, 1)}\n`;
      if (o.out === undefined) process.stdout.write(text);
      else await writeFile(o.out, text);
    });
}
