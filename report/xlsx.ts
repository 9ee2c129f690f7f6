import { PassThrough } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import {
  ladderLabels,
  LOCALITIES,
  MEASURE_LABELS,
  TASKS,
  WEI_KEYS,
  type CampaignReport,
  type Task,
} from '../machines/index.ts';
import {
  GROUP_LABELS,
  LIGHT_COLOR,
  LIGHT_ZH,
  PROBLEM_SOURCE_LABELS,
  PROBLEM_STATE_LABELS,
  TASK_LABELS,
  totalRows,
  WEI_LABELS,
  bottomLabel,
  eventName,
  illustrativeNotice,
  LEDGER_HEADERS,
  ledgerRow,
  projectName,
  unitName,
} from './format.ts';

/** The Chinese name of a key in a label table, or the key itself. */
const label = (labels: Readonly<Record<string, { zh: string }>>, key: string) => labels[key]?.zh ?? key;

const MISSED = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDECEA' } } as const;
const HEADER = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } } as const;

/** Rows written between two pauses (see {@link reportXlsx}). */
const ROWS_PER_PAUSE = 100;

/**
 * The workbook being written: its sheets streamed one after another, each finished before the
 * next begins, and a pause every {@link ROWS_PER_PAUSE} rows.
 */
class Writer {
  private sheet: ExcelJS.Worksheet | null = null;
  private rows = 0;

  constructor(
    private readonly book: ExcelJS.stream.xlsx.WorkbookWriter,
    /** 示例数据: said in every sheet's printed header. */
    private readonly notice: string | null,
  ) {}

  /** A new sheet with its header row (bold, shaded, frozen), the one before it finished. */
  async addSheet(name: string, titles: string[], widths: number[]): Promise<ExcelJS.Worksheet> {
    await this.finishSheet();
    const sheet = this.book.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 1 }],
      ...(this.notice === null ? {} : { headerFooter: { oddHeader: `&C&"-,Bold"&KC62828${this.notice}` } }),
    });
    sheet.columns = titles.map((header, i) => ({ header, width: widths[i] ?? 12 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).eachCell((cell) => (cell.fill = HEADER));
    this.sheet = sheet;
    return sheet;
  }

  /** Adds a row to the current sheet; every {@link ROWS_PER_PAUSE} rows, writes the ones before out and pauses. */
  async addRow(values: unknown[]): Promise<ExcelJS.Row> {
    // The rows before this one are styled: they may be written out.
    if (this.rows > 0 && this.rows % ROWS_PER_PAUSE === 0) await this.pause();
    this.rows += 1;
    return this.sheet!.addRow(values);
  }

  /** The rows so far written out (styled before: a row written out is final), then a turn of the event loop. */
  async pause(): Promise<void> {
    this.sheet?.lastRow?.commit();
    await setImmediate();
  }

  async finishSheet(): Promise<void> {
    if (this.sheet === null) return;
    await this.pause();
    // An archive entry per sheet, in order: finished, it is compressed while the next is written.
    this.sheet.commit();
    this.sheet = null;
  }
}

/**
 * The campaign report as an .xlsx workbook laid out the way a county office files it: 总览,
 * one sheet per task (units ranked within their group, month by month, missed targets filled
 * red), 约谈通报, 问题清单, 八未走势 and 考核总结.
 */
export async function reportXlsx(report: CampaignReport): Promise<Buffer> {
  // Loaded when a workbook is asked for: exceljs takes a third of a second to load.
  const { default: Excel } = await import('exceljs');
  const zipped = new PassThrough();
  const chunks: Buffer[] = [];
  zipped.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Streamed: a sheet's rows are rendered as they are written out, a thousand at a time with pauses
  // between — the whole workbook at once held the event loop 14 s at 100,000 projects
  // (BENCHMARKS.md, session 13). Strings inline (no shared-string table to build at the end).
  const book = new Excel.stream.xlsx.WorkbookWriter({ stream: zipped, useStyles: true, useSharedStrings: false });
  book.creator = 'Gongjian 攻坚';
  // Fixed dates keep the workbook the same for the same campaign.
  book.created = new Date(`${report.campaign.end}T00:00:00Z`);
  book.modified = book.created;
  const w = new Writer(book, illustrativeNotice(report));

  await w.addSheet('总览', ['指标', '数值'], [34, 14]);
  await w.addRow(['攻坚行动', report.campaign.name]);
  await w.addRow(['攻坚期', `${report.campaign.start} 至 ${report.campaign.end}(${report.campaign.days} 天)`]);
  const notice = illustrativeNotice(report);
  if (notice !== null) (await w.addRow(['示例数据', notice])).font = { color: { argb: 'FFC62828' }, bold: true };
  for (const { label, value } of totalRows(report)) await w.addRow([label, value]);
  if (report.totals.landTaskMu !== null)
    await w.addRow([
      `征地拆迁 ${report.totals.landTaskMu} 亩任务`,
      report.totals.landTaskMet
        ? `${report.totals.landTaskMetOn} 完成(第 ${report.totals.landTaskMetDay} 天)`
        : '未完成',
    ]);
  await w.addRow(['启动时"八未"项目(个)', report.baseline.projectsInAny]);
  for (const m of report.measures)
    await w.addRow([`${MEASURE_LABELS[m.measure].zh}(${MEASURE_LABELS[m.measure].unit.zh})`, m.total]);

  const used = TASKS.filter((task) =>
    report.supervisions.some((s) => s.units.some((u) => u.tasks.find((t) => t.task === task)!.rate !== null)),
  );
  for (const task of used) {
    await w.addSheet(
      TASK_LABELS[task].zh.slice(0, 31),
      ['月份', '分组', '排名', '单位', `目标(${TASK_LABELS[task].unit.zh})`, '完成', '完成率', '情况', '序时'],
      [10, 12, 6, 16, 12, 10, 10, 18, 8],
    );
    for (const s of report.supervisions) {
      const rows = s.units
        .map((u) => ({ u, t: u.tasks.find((x) => x.task === (task as Task))! }))
        .filter((r) => r.t.rate !== null)
        .sort((a, b) => (a.u.group < b.u.group ? -1 : a.u.group > b.u.group ? 1 : a.t.rank! - b.t.rank!));
      for (const { u, t } of rows) {
        const row = await w.addRow([
          s.month,
          GROUP_LABELS[u.group].zh,
          t.rank,
          u.name,
          t.target,
          t.actual,
          t.rate,
          `${t.actual < t.target ? '未完成' : '完成'}${t.bottom ? `,${bottomLabel(report.campaign.bottomN)}` : ''}`,
          t.light === null ? '' : LIGHT_ZH[t.light],
        ]);
        row.getCell(7).numFmt = '0.0%';
        if (t.actual < t.target) row.eachCell((cell) => (cell.fill = MISSED));
        if (t.light !== null) row.getCell(9).font = { color: { argb: `FF${LIGHT_COLOR[t.light]}` }, bold: true };
      }
    }
  }

  const ladder = ladderLabels(report.campaign.locality);
  await w.addSheet(
    '约谈通报',
    ['月份', '单位', '分组', '结果', '未完成任务', `${bottomLabel(report.campaign.bottomN)}的任务`],
    [10, 16, 12, 60, 30, 30],
  );
  for (const s of report.supervisions) {
    for (const u of s.units.filter((x) => x.step !== 'good')) {
      await w.addRow([
        s.month,
        u.name,
        GROUP_LABELS[u.group].zh,
        ladder[u.step].zh,
        u.missedTasks.map((t) => TASK_LABELS[t].zh).join('、'),
        u.bottomTasks.map((t) => TASK_LABELS[t].zh).join('、'),
      ]);
    }
  }
  for (const l of report.ladders)
    for (const a of l.accountability)
      await w.addRow([a.at.slice(0, 7), l.name, GROUP_LABELS[l.group].zh, ladder.accountability.zh, a.reason, '']);

  await w.addSheet(
    '问题清单',
    ['提出日期', '项目', '问题', '来源', '责任单位', '时限', '状态', '逾期'],
    [12, 16, 40, 12, 18, 12, 10, 6],
  );
  for (const p of report.problems)
    await w.addRow([
      p.raisedOn,
      projectName(report, p.projectId),
      p.title,
      label(PROBLEM_SOURCE_LABELS, p.source),
      p.unitId === null ? '' : unitName(report, p.unitId),
      p.due ?? '',
      label(PROBLEM_STATE_LABELS, p.state),
      p.overdue ? '是' : '',
    ]);

  await w.addSheet('项目红黄灯', ['项目', '责任单位', '灯', '原因'], [30, 18, 8, 50]);
  for (const l of report.projectLights) {
    const row = await w.addRow([
      projectName(report, l.projectId),
      unitName(report, l.unitId),
      LIGHT_ZH[l.light],
      l.reason.zh,
    ]);
    row.getCell(3).font = { color: { argb: `FF${LIGHT_COLOR[l.light]}` }, bold: true };
  }

  await w.addSheet('未获通过的报送', ['日期', '项目', '事项', '原因'], [12, 30, 16, 70]);
  for (const r of report.refusals.list)
    await w.addRow([r.at ?? '', projectName(report, r.projectId), eventName(r.type), r.zh]);

  await w.addSheet('项目台账', LEDGER_HEADERS, [28, 16, 12, 30, 14, 24, 18, 60, 40]);
  for (const p of report.projects) await w.addRow(ledgerRow(report, p));

  if (report.programmes.length > 0) {
    await w.addSheet(
      '项目群',
      [
        '项目群',
        '子项目',
        '计划投资(万元)',
        '申报(万元)',
        '已开工(万元)',
        '完成投资(万元)',
        '需征(亩)',
        '已清(亩)',
        '规模',
        '核对',
      ],
      [30, 8, 14, 14, 14, 14, 10, 10, 18, 50],
    );
    for (const g of report.programmes)
      await w.addRow([
        g.name,
        g.subProjects,
        g.investment.planned,
        g.investment.declared,
        g.investment.started,
        g.investment.invested,
        g.land.requiredMu,
        g.land.clearedMu,
        g.capacity === null ? '' : `${g.capacity.started}/${g.capacity.total} ${g.capacity.unit}`,
        g.discrepancies.map((d) => d.zh).join(';') || '一致',
      ]);
  }
  if (report.investment.tracked) {
    await w.addSheet(
      '完成投资',
      ['单位', '计划总投资(万元)', '年度计划(万元)', '攻坚期完成(万元)', '完成率', '缺报月份'],
      [16, 16, 16, 16, 10, 40],
    );
    for (const u of report.investment.byUnit)
      await w.addRow([
        unitName(report, u.unitId),
        u.planned,
        u.annualPlan,
        u.completed,
        u.rate === null ? '' : `${(u.rate * 100).toFixed(1)}%`,
        report.investment.missing
          .filter((m) => m.unitId === u.unitId)
          .map((m) => `${projectName(report, m.projectId)} ${m.months.join('、')}`)
          .join(';'),
      ]);
  }

  await w.addSheet(
    '八未走势',
    ['第几天', '日期', ...WEI_KEYS.map((k) => WEI_LABELS[k].zh), '终止(不计入八未)'],
    [8, 12, ...WEI_KEYS.map(() => 12), 16],
  );
  for (const d of report.burnDown) await w.addRow([d.day, d.date, ...WEI_KEYS.map((k) => d.counts[k]), d.dropped]);

  if (report.assessment !== null) {
    await w.addSheet(
      '考核总结',
      [
        '分组',
        '排名',
        '单位',
        '得分',
        '未完成月数',
        '被约谈',
        `全${LOCALITIES[report.campaign.locality].zh}通报`,
        '问责',
      ],
      [12, 6, 16, 8, 10, 8, 8, 6],
    );
    const rows = [...report.assessment].sort((a, b) =>
      a.group < b.group
        ? -1
        : a.group > b.group
          ? 1
          : (a.rankInGroup ?? Number.MAX_SAFE_INTEGER) - (b.rankInGroup ?? Number.MAX_SAFE_INTEGER),
    );
    for (const a of rows)
      await w.addRow([
        GROUP_LABELS[a.group].zh,
        a.rankInGroup ?? '不参与排名',
        a.name,
        a.score ?? '无任务',
        a.monthsMissed,
        a.interviews,
        a.notified,
        a.accountability,
      ]);
  }
  await w.finishSheet();
  await book.commit();
  return Buffer.concat(chunks);
}
