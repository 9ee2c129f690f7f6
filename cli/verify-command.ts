import type { Command } from 'commander';
import { verify } from '../engine/index.ts';
import { dataDir } from './data-dir.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check the journal’s hash chain and that replaying it reproduces the stored snapshots / 校验日志哈希链与快照一致',
    )
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { data?: string; json?: boolean }) => {
      const dir = dataDir(options.data);
      const report = await verify(dir);
      if (options.json === true) {
        console.log(JSON.stringify(report));
      } else if (report.ok) {
        console.log(
          `✓ ${dir}: ${report.entries} journal entries, ${report.projects} projects; hash chain intact, replay ` +
            `matches the checkpoint (entry ${report.checkpointSeq}).`,
        );
        console.log(`✓ 校验通过:${report.entries} 条日志,${report.projects} 个项目,哈希链完整,重放结果与快照一致。`);
      } else {
        const bad = report.firstBad!;
        console.error(
          `✗ ${dir}: first bad journal entry at line ${bad.line}${bad.seq === null ? '' : ` (seq ${bad.seq})`}: ` +
            `${bad.reason}`,
        );
        console.error(`✗ 校验失败:日志第 ${bad.line} 行${bad.seq === null ? '' : `(序号 ${bad.seq})`}有误。`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
