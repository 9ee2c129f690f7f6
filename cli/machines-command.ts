import type { Command } from 'commander';
import { ALL_KINDS, statechartOf, toMermaid } from '../engine/index.ts';
import { PROCESS_OUTPUT, type Output } from './token-command.ts';

/**
 * `gongjian machines [--machine project] [--format mermaid|json]`: the statecharts as text —
 * Mermaid `stateDiagram-v2` (parallel regions, initial and final states, `EVENT [rule]`) to
 * paste where diagrams render, or JSON (states, transitions, rules, 八未) for tools.
 */
export function registerMachines(program: Command, out: Output = PROCESS_OUTPUT): void {
  const kinds = ALL_KINDS.map((k) => k.kind);
  program
    .command('machines')
    .description('print the statecharts as Mermaid or JSON / 以 Mermaid 或 JSON 输出状态图')
    .option('--machine <kind>', `one of ${kinds.join(', ')} (default: every machine)`)
    .option('--format <format>', 'mermaid or json', 'mermaid')
    .action((options: { machine?: string; format: string }) => {
      if (options.format !== 'mermaid' && options.format !== 'json') {
        out.stderr(`--format must be mermaid or json (got ${options.format}) / 格式须为 mermaid 或 json\n`);
        process.exitCode = 2;
        return;
      }
      const chosen = options.machine === undefined ? ALL_KINDS : ALL_KINDS.filter((k) => k.kind === options.machine);
      if (chosen.length === 0) {
        out.stderr(`unknown machine "${options.machine}"; one of ${kinds.join(', ')} / 没有这个状态机\n`);
        process.exitCode = 2;
        return;
      }
      const charts = chosen.map(statechartOf);
      if (options.format === 'json') {
        out.stdout(`${JSON.stringify(options.machine === undefined ? charts : charts[0], null, 2)}\n`);
        return;
      }
      out.stdout(
        charts
          .map((c) => (charts.length > 1 ? `%% ${c.label.zh} ${c.kind} v${c.version}\n` : '') + toMermaid(c))
          .join('\n'),
      );
    });
}
