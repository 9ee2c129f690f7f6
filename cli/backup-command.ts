import type { Command } from 'commander';
import { resolve } from 'node:path';
import { backupDataDir, verify } from '../engine/index.ts';
import { dataDir } from './data-dir.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy a data directory (journal, checkpoint, staff, evidence) and verify the copy / 备份并校验')
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data); a running server may use it')
    .requiredOption('--to <dir>', 'a new (or empty) directory for the copy')
    .action(async (options: { data?: string; to: string }) => {
      const from = dataDir(options.data);
      const to = resolve(options.to);
      const summary = await backupDataDir(from, to);
      const report = await verify(to);
      const mb = (summary.bytes / 1024 / 1024).toFixed(1);
      if (report.ok) {
        console.log(
          `✓ ${to}: ${summary.files} files and ${summary.blobs} attachments (${mb} MB) copied; ` +
            `${report.entries} journal entries verified, every attachment present and intact.`,
        );
        console.log(`✓ 备份完成:${summary.files} 个文件、${summary.blobs} 个附件(${mb} MB),校验通过。`);
      } else {
        const bad = report.firstBad!;
        console.error(`✗ the copy in ${to} does not verify: seq ${bad.seq ?? '—'}: ${bad.reason}`);
        console.error(`✗ 备份校验失败:序号 ${bad.seq ?? '—'}。`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
