import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { reportFromDataDir } from '../engine/index.ts';
import { reportHtml, reportXlsx } from '../report/index.ts';
import { dataDir } from './data-dir.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('a campaign’s report from a data directory (read-only; works while serving) / 生成攻坚报告')
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .option('--campaign <id>', 'campaign id (default: the only one)')
    .option('--out <file>', '.html (printable), .xlsx or .json; default: JSON on stdout')
    .action(async (options: { data?: string; campaign?: string; out?: string }) => {
      const extension = options.out === undefined ? '.json' : extname(options.out).toLowerCase();
      if (!['.json', '.html', '.xlsx'].includes(extension))
        throw new Error(
          `--out must end in .json, .html or .xlsx (got ${options.out}) / 报告须为 .json、.html 或 .xlsx`,
        );
      const report = await reportFromDataDir(dataDir(options.data), options.campaign);
      if (Array.isArray(report)) {
        throw new Error(
          report.length === 0
            ? 'no campaign in this data directory / 该数据目录中没有攻坚行动'
            : `choose a campaign with --campaign: ${report.join(', ')} / 请用 --campaign 指定:${report.join('、')}`,
        );
      }
      const body =
        extension === '.html'
          ? reportHtml(report)
          : extension === '.xlsx'
            ? await reportXlsx(report)
            : `${JSON.stringify(report, null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(body);
      else {
        await writeFile(options.out, body);
        process.stderr.write(`report written / 报告已写入: ${options.out}\n`);
      }
    });
}
