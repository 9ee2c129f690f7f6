import type { Command } from 'commander';
import {
  migrateToPg,
  REPLAY_PROGRESS_EVERY,
  verify,
  verifyPg,
  type VerifyProgress,
  type VerifyReport,
} from '../engine/index.ts';
import { dataDir } from './data-dir.ts';
import { parseStoreUrl } from './store-url.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check the journal’s hash chain and that replaying it reproduces the stored snapshots / 校验日志哈希链与快照一致',
    )
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .option('--store <url>', 'verify a PostgreSQL store instead: postgres://…[?schema=name] (default: $GONGJIAN_STORE)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { data?: string; store?: string; json?: boolean }) => {
      const storeUrl = options.store ?? process.env.GONGJIAN_STORE;
      const pg = storeUrl === undefined || storeUrl === '' ? null : parseStoreUrl(storeUrl);
      const dir = pg === null ? dataDir(options.data) : `PostgreSQL schema ${pg.schema ?? 'gongjian'}`;
      const report =
        pg === null
          ? await verify(dir, { onProgress: showProgress })
          : await verifyPg(pg.url, { schema: pg.schema, onProgress: showProgress });
      print(report, dir, options.json === true);
    });
}

/** `gongjian migrate --from DIR --to postgres://…`: the copy, then `verify` of it. */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'copy a data directory into PostgreSQL (seqs and hashes kept), then verify the copy / 迁移到 PostgreSQL',
    )
    .requiredOption('--from <dir>', 'the data directory to copy')
    .requiredOption('--to <url>', 'postgres://…[?schema=name]: an empty schema (created if missing)')
    .option('--json', 'print the verify report as JSON')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      const target = parseStoreUrl(options.to);
      let shown = 0;
      const copied = await migrateToPg(options.from, target.url, {
        schema: target.schema,
        progress: (entries) => {
          if (entries - shown >= 50_000) {
            shown = entries;
            process.stderr.write(`copying: ${entries.toLocaleString('en')} journal entries…\n`);
          }
        },
      });
      process.stderr.write(
        `copied ${copied.entries} journal entries, ${copied.records} records, ${copied.blobs} attachments, ` +
          `${copied.staff} staff / 已复制 ${copied.entries} 条日志、${copied.records} 条记录、${copied.blobs} 个附件、` +
          `${copied.staff} 名工作人员\n`,
      );
      const report = await verifyPg(target.url, { schema: target.schema });
      print(report, `PostgreSQL schema ${target.schema ?? 'gongjian'}`, options.json === true);
    });
}

/** A long verify says how far it is, on stderr (stdout keeps the report, JSON or not). */
function showProgress(progress: VerifyProgress): void {
  // A verify short enough to say nothing along the way says nothing before its start-up check either.
  if (progress.entries < REPLAY_PROGRESS_EVERY) return;
  const [n, total] = [progress.entries.toLocaleString('en'), progress.total.toLocaleString('en')];
  process.stderr.write(
    progress.phase === 'replay'
      ? `verifying: ${n} of ${total} journal entries replayed… / 校验中:已重放 ${n} / ${total} 条日志…\n`
      : `verifying: ${n} entries replayed; now a start-up dry run… / 已重放 ${n} 条;正在模拟启动…\n`,
  );
}

function print(report: VerifyReport, dir: string, json: boolean): void {
  if (json) {
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
}
