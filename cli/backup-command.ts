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

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description('restore a backup into a new data directory, verified before and after / 从备份恢复')
    .requiredOption('--from <dir>', 'a backup made by gongjian backup')
    .option('--data <dir>', 'the (new or empty) data directory to restore into (default: $GONGJIAN_DATA or ./data)')
    .action(async (options: { from: string; data?: string }) => {
      const from = resolve(options.from);
      const to = dataDir(options.data);
      const before = await verify(from);
      if (!before.ok) {
        const bad = before.firstBad!;
        console.error(
          `✗ the backup in ${from} does not verify: seq ${bad.seq ?? '—'}: ${bad.reason}; nothing restored`,
        );
        console.error(`✗ 备份校验失败(序号 ${bad.seq ?? '—'}),未恢复任何内容。`);
        process.exitCode = 1;
        return;
      }
      const summary = await backupDataDir(from, to);
      const after = await verify(to);
      if (after.ok) {
        console.log(
          `✓ ${to}: restored ${summary.files} files and ${summary.blobs} attachments; ${after.entries} journal ` +
            'entries verified. Start the server on it: gongjian serve --data ' +
            to,
        );
        console.log(`✓ 恢复完成:${after.entries} 条日志校验通过。`);
      } else {
        console.error(`✗ the restored ${to} does not verify: ${after.firstBad?.reason ?? ''}`);
        process.exitCode = 1;
      }
    });
}
