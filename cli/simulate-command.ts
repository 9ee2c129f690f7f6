import { readFile, readdir, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { parseScenario, simulate, type SimulationResult } from '../engine/index.ts';
import { LADDER_LABELS, PROJECT_EVENT_TYPES, type ProjectEventType, type ReviewSettings } from '../machines/index.ts';
import { reportHtml, reportXlsx } from '../report/index.ts';
import { FileStore } from '../engine/index.ts';
import { totalRows } from '../report/format.ts';

export interface SimulateOptions {
  scenario: string;
  seed: string;
  days?: string;
  /** One or more files (`--report a.html --report a.xlsx`); the extension picks the format. */
  report?: string | string[];
  data?: string;
  /** Project event types filed for review (填报 → 审核), comma-separated. */
  review?: string;
  /** Filings approved this many days after they are filed (default 0 with --review). */
  approveAfter?: string;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a whole campaign from a scenario file, day by day / 模拟攻坚行动')
    .requiredOption('--scenario <file>', 'scenario JSON (see README: scenario format)')
    .option('--seed <n>', 'orders same-day events of different projects', '1')
    .option('--days <n>', 'stop after this many days (no final assessment)')
    .option(
      '--report <file>',
      'write the report: .json, .html (printable) or .xlsx; repeat for several',
      (file: string, previous: string[] = []) => [...previous, file],
    )
    .option('--data <dir>', 'keep the journal and store in this (empty) directory instead of memory')
    .option(
      '--review <types>',
      'switch review on: these project event types (comma-separated, e.g. START_CONSTRUCTION,REPORT_CLEARANCE) ' +
        'become filings, reviewed by the campaign office and the issuing department',
    )
    .option('--approve-after <days>', 'with --review: filings are approved this many days after filing', '0')
    .action(async (options: SimulateOptions) => {
      await runSimulate(options, (line) => console.log(line));
    });
}

/** The JSON report file: the report, plus what only the simulation knows (seed, forbidden events). */
export function reportJson(result: SimulationResult, seed: number): string {
  const simulation = { seed, counts: result.counts, forbidden: result.forbidden };
  return `${JSON.stringify({ ...result.report, simulation }, null, 2)}\n`;
}

/**
 * `gongjian simulate`: reads and checks the scenario, runs it (into `--data` if given), prints
 * the summary through `print` and writes the report. In-process callable (tests, tools).
 */
export async function runSimulate(options: SimulateOptions, print: (line: string) => void): Promise<SimulationResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(options.scenario, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read scenario ${options.scenario}: ${(err as Error).message} / 无法读取场景文件`);
  }
  const scenario = parseScenario(json);
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number (got ${options.seed}) / --seed 须为整数`);
  const reports = options.report === undefined ? [] : [options.report].flat();
  // Every output checked before the (long) simulation starts.
  for (const file of reports)
    if (!['.json', '.html', '.xlsx'].includes(extname(file).toLowerCase()))
      throw new Error(`--report must end in .json, .html or .xlsx (got ${file}) / 报告须为 .json、.html 或 .xlsx`);
  let store: FileStore | undefined;
  if (options.data !== undefined) {
    const existing = await readdir(options.data).catch(() => []);
    if (existing.some((f) => f === 'journal.jsonl'))
      throw new Error(`${options.data} already holds a journal; simulate into an empty directory / 请使用空目录`);
    // The simulation owns this store: written as it goes, fdatasync'd once at the end (a run cut
    // short is simply run again into an empty directory).
    store = new FileStore(options.data, { sync: 'close' });
  }
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: '攻坚模拟 simulating |{bar}| {value}/{total} 天 days · {date}',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const days = options.days === undefined ? undefined : Number(options.days);
  const review = reviewOption(options.review);
  const approveAfter = Number(options.approveAfter ?? '0');
  if (!Number.isInteger(approveAfter) || approveAfter < 0)
    throw new Error(`--approve-after must be a whole number of days (got ${options.approveAfter}) / 须为天数`);
  bar?.start(days ?? scenario.campaign.days, 0, { date: scenario.campaign.start });
  const result = await simulate(scenario, {
    seed,
    days,
    store,
    onDay: (day, _total, date) => bar?.update(day, { date }),
    ...(review === undefined ? {} : { review, approveAfterDays: approveAfter }),
  });
  bar?.stop();
  await result.engine.close();
  printSummary(result, print);
  for (const file of reports) {
    const extension = extname(file).toLowerCase();
    const body =
      extension === '.html'
        ? reportHtml(result.report)
        : extension === '.xlsx'
          ? await reportXlsx(result.report)
          : reportJson(result, seed);
    await writeFile(file, body);
    print(`${file === reports[0] ? '\n' : ''}报告已写入 / report written: ${file}`);
  }
  return result;
}

/** Who reviews each type when `--review` switches it on: the campaign office and the issuing department. */
const REVIEWERS: Partial<Record<ProjectEventType, ReviewSettings['events'][ProjectEventType]>> = {
  START_CONSTRUCTION: ['housing', 'hq'],
  COMPLETE: ['housing', 'hq'],
  REPORT_CLEARANCE: ['naturalResources', 'hq'],
  REPORT_OUTPUT: ['stats', 'hq'],
  REGISTER_STATS: ['stats'],
};

function reviewOption(value: string | undefined): ReviewSettings | undefined {
  if (value === undefined) return undefined;
  const events: ReviewSettings['events'] = {};
  for (const type of value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')) {
    if (!(PROJECT_EVENT_TYPES as readonly string[]).includes(type))
      throw new Error(`--review: unknown event type ${type}; one of ${PROJECT_EVENT_TYPES.join(', ')} / 未知事项`);
    events[type as ProjectEventType] = REVIEWERS[type as ProjectEventType] ?? ['hq'];
  }
  return { events };
}

function printSummary({ report, counts, forbidden }: SimulationResult, print: (line: string) => void): void {
  const c = report.campaign;
  print(`\n${c.name}  ${c.start} → ${c.end} (${c.days} 天 days, ${c.state})`);
  // Nothing silent: refusals inside the campaign are the report's; those before day 1 and the
  // events the sender had no right to send are named here, each with its reason.
  const before = counts.refused - report.refusals.count;
  print(
    `事件 events: ${counts.events} · 通过 accepted ${counts.accepted} · 未通过 refused ${counts.refused}` +
      `${before > 0 ? `(攻坚期内 ${report.refusals.count},攻坚开始前 ${before} / ${before} before day 1)` : ''}` +
      ` · 无权 forbidden ${counts.forbidden}` +
      `${counts.filed > 0 ? ` · 填报审核 filed for review ${counts.filed}` : ''}`,
  );
  for (const f of forbidden)
    print(`  无权 forbidden: ${f.at} ${f.by} ${f.type}${f.target ? ` ${f.target}` : ''} — ${f.zh} / ${f.en}`);
  print('\n攻坚成果 results (computed from the journal):');
  for (const { key, label, value } of totalRows(report)) print(`  ${String(value).padStart(7)}  ${label} ${key}`);
  if (report.totals.landTaskMu !== null) {
    const t = report.totals;
    const met = t.landTaskMet ? `met on ${t.landTaskMetOn} (day ${t.landTaskMetDay}) / 提前完成` : 'not met / 未完成';
    print(`  征地拆迁 ${t.landTaskMu} 亩任务 land task: ${met}`);
  }
  print('\n每月督查 supervisions:');
  for (const s of report.supervisions) {
    const flagged = s.units.filter((u) => u.step === 'deputyInterview' || u.step === 'secretaryInterview');
    const who = flagged.map((u) => `${u.name} — ${LADDER_LABELS[u.step].zh}`).join('; ');
    print(`  ${s.month}: ${flagged.length === 0 ? '无约谈 no interviews' : who}`);
  }
}
