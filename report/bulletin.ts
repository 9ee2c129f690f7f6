import {
  LOCALITIES,
  TASKS,
  ladderLabels,
  type CampaignReport,
  type MonthSupervision,
  type UnitGroup,
} from '../machines/index.ts';
import {
  GROUP_LABELS,
  esc,
  illustrativeNotice,
  num,
  pct,
  printableCsp,
  projectName,
  taskName,
  unitName,
} from './format.ts';

/** A table of the bulletin: its caption, header and rows of text. */
export interface BulletinTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

/**
 * One month's 督查通报 as a document a county office files: title, 文号 (left for the office to
 * fill), issuing office and date, the body — overall results, each group's results per task
 * with ranks, who is interviewed and why, the problems raised — and the 抄送 line. One model,
 * rendered as a printable page (`bulletinHtml`) and as a Word file (`bulletinDocx`).
 */
export interface Bulletin {
  title: string;
  /** 文号, to be completed by the office: 〔2022〕  号. */
  docNumber: string;
  office: string;
  date: string;
  sections: { heading: string; paragraphs: string[]; tables: BulletinTable[] }[];
  cc: string;
  illustrative: string | null;
}

const SEP = '、';

export function bulletinOf(report: CampaignReport, month: string): Bulletin | undefined {
  const s = report.supervisions.find((x) => x.month === month);
  if (s === undefined) return undefined;
  const place = LOCALITIES[report.campaign.locality].zh;
  const ladder = ladderLabels(report.campaign.locality);
  const [year, mm] = [month.slice(0, 4), Number(month.slice(5, 7))];
  const graded = s.units.filter((u) => u.tasks.some((t) => t.rate !== null));
  const met = graded.filter((u) => u.missedTasks.length === 0);
  const missed = graded.filter((u) => u.missedTasks.length > 0);
  const overall = [
    `${s.from} 至 ${s.to},${report.campaign.name}进入第 ${report.campaign.supervisedMonths.indexOf(month) + 1} 次月度督查,` +
      `序时进度 ${pct(s.elapsed)}。`,
    `${graded.length} 个单位承担本月攻坚任务,${met.length} 个单位全部完成` +
      (missed.length === 0 ? '。' : `,${missed.length} 个单位未完成:${missed.map((u) => u.name).join(SEP)}。`),
  ];
  const byGroup = new Map<UnitGroup, MonthSupervision['units']>();
  for (const u of graded) byGroup.set(u.group, [...(byGroup.get(u.group) ?? []), u]);
  const tables: BulletinTable[] = [...byGroup].map(([group, units]) => {
    const rows: string[][] = [];
    for (const task of TASKS)
      for (const u of units
        .filter((x) => x.tasks.find((t) => t.task === task)?.rate != null)
        .sort((a, b) => rankOf(a, task) - rankOf(b, task))) {
        const t = u.tasks.find((x) => x.task === task)!;
        rows.push([
          taskName(task),
          t.rank === null ? '—' : String(t.rank),
          u.name,
          num(t.target),
          num(t.actual),
          pct(t.rate),
          t.actual < t.target ? (t.bottom ? `未完成,排名后${report.campaign.bottomN}位` : '未完成') : '完成',
        ]);
      }
    return {
      caption: GROUP_LABELS[group].zh,
      headers: ['攻坚任务', '组内排名', '单位', '目标', '完成', '完成率', '情况'],
      rows,
    };
  });
  const interviewed = s.units.filter((u) => u.step === 'deputyInterview' || u.step === 'secretaryInterview');
  const interviews =
    interviewed.length === 0
      ? ['本月无约谈单位。']
      : interviewed.map(
          (u) =>
            `${u.name}:${ladder[u.step].zh}。` +
            `原因:未完成${u.missedTasks.map((t) => taskName(t)).join(SEP)}` +
            (u.step === 'secretaryInterview'
              ? ',连续两月未完成攻坚任务。'
              : `,且${u.bottomTasks.map((t) => taskName(t)).join(SEP)}排名后${report.campaign.bottomN}位。`),
        );
  const raised = report.problems.filter((p) => p.raisedOn >= s.from && p.raisedOn <= s.to);
  const problems: BulletinTable = {
    caption: '本月交办问题',
    headers: ['提出日期', '项目', '问题', '责任单位', '办结时限', '办理情况'],
    rows: raised.map((p) => [
      p.raisedOn,
      projectName(report, p.projectId),
      p.title,
      p.unitId === null ? '—' : unitName(report, p.unitId),
      p.due ?? '—',
      p.verifiedOn !== null ? '已销号' : p.resolvedOn !== null ? '已办结待核验' : p.overdue ? '逾期' : '办理中',
    ]),
  };
  return {
    title: `关于${year}年${mm}月${report.campaign.name}督查情况的通报`,
    docNumber: `〔${year}〕    号`,
    office: `${report.campaign.name}指挥部办公室`,
    date: s.to,
    sections: [
      { heading: '一、总体情况', paragraphs: overall, tables: [] },
      { heading: '二、各单位攻坚任务完成情况', paragraphs: ['按分组、分单项任务排名如下:'], tables },
      { heading: '三、约谈与通报', paragraphs: interviews, tables: [] },
      {
        heading: '四、问题交办情况',
        paragraphs: raised.length === 0 ? ['本月无新交办问题。'] : [`本月交办问题 ${raised.length} 个,详见下表。`],
        tables: raised.length === 0 ? [] : [problems],
      },
      {
        heading: '五、下步要求',
        paragraphs: [
          '各单位要对照攻坚任务清单,倒排工期、挂图作战,确保按序时完成攻坚任务;' +
            '未完成本月任务的单位要认真查找原因,制定整改措施,于下次督查前报指挥部办公室。',
        ],
        tables: [],
      },
    ],
    cc: `抄送:${place}委、${place}人大常委会、${place}政府、${place}政协主要领导,各责任单位。`,
    illustrative: illustrativeNotice(report),
  };
}

const rankOf = (u: MonthSupervision['units'][number], task: string) =>
  u.tasks.find((t) => t.task === task)?.rank ?? Number.MAX_SAFE_INTEGER;

/** The bulletin page's whole style sheet (served with a CSP allowing exactly it, by hash). */
export const BULLETIN_CSS = [
  'body{font-family:"FangSong","仿宋","Noto Serif CJK SC",serif;margin:2em auto;max-width:800px;color:#111;',
  'font-size:16px;line-height:1.8}',
  'h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;text-align:center;font-size:24px;margin:.5em 0}',
  'h2{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;font-size:17px;margin:1.2em 0 .4em}',
  '.docno{text-align:center}.office{text-align:right;margin-top:2em}.date{text-align:right}',
  'p{text-indent:2em;margin:.3em 0}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:14px;',
  'line-height:1.4}th,td{border:1px solid #333;padding:2px 5px}caption{font-weight:bold;margin:.3em 0}',
  '.cc{border-top:1px solid #333;border-bottom:1px solid #333;margin-top:2em;padding:.3em 0;text-indent:0}',
  '.illustrative{border:2px solid #c62828;color:#c62828;text-align:center;font-weight:bold;padding:4px;' +
    'text-indent:0}',
  '@media print{body{margin:0}.illustrative{position:fixed;top:0;left:0;right:0;font-size:11px;padding:1px}' +
    'body{padding-top:1.5em}}',
].join('\n');

/** The policy the bulletin page is served with: its own style sheet (by hash), nothing else. */
export const BULLETIN_CSP = printableCsp(BULLETIN_CSS);

/** The bulletin as a printable page (no scripts, no network). */
export function bulletinHtml(b: Bulletin): string {
  const table = (t: BulletinTable) =>
    `<table><caption>${esc(t.caption)}</caption><thead><tr>${t.headers.map((h) => `<th>${esc(h)}</th>`).join('')}` +
    `</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}` +
    '</tbody></table>';
  const body = b.sections
    .map(
      (s) =>
        `<h2>${esc(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}` +
        s.tables.map(table).join(''),
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(b.title)}</title><style>${BULLETIN_CSS}</style></head><body>
${b.illustrative === null ? '' : `<p class="illustrative">${esc(b.illustrative)}</p>`}
<h1>${esc(b.title)}</h1>
<p class="docno">${esc(b.docNumber)}</p>
${body}
<p class="office">${esc(b.office)}</p>
<p class="date">${esc(chineseDate(b.date))}</p>
<p class="cc">${esc(b.cc)}</p>
</body></html>
`;
}

/** 2022-08-31 → 2022年8月31日, as documents date themselves. */
export function chineseDate(date: string): string {
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * The bulletin as a Word file (通报 circulate as .docx): title in 小标宋 2号, body in 仿宋 3号,
 * headings in 黑体, tables with borders, the issuing office and date on the right, the 抄送
 * line at the foot — and 示例数据 in every page's header when the data is invented.
 */
export async function bulletinDocx(b: Bulletin): Promise<Buffer> {
  const docx = await import('docx');
  const { AlignmentType, Document, Header, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = docx;
  const run = (text: string, options: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
    new TextRun({
      text,
      font: options.font ?? '仿宋_GB2312',
      size: options.size ?? 32,
      bold: options.bold,
      color: options.color,
    });
  const para = (
    text: string,
    options: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean } = {},
  ) =>
    new Paragraph({
      children: [run(text)],
      alignment: options.align,
      indent: options.indent === false ? undefined : { firstLine: 640 },
      spacing: { line: 560 },
    });
  const cell = (text: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [run(text, { size: 24, bold })] })] });
  const table = (t: BulletinTable) => [
    new Paragraph({ children: [run(t.caption, { font: '黑体', size: 28 })], spacing: { before: 120 } }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: t.headers.map((h) => cell(h, true)) }),
        ...t.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
      ],
    }),
  ];
  const children = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(b.title, { font: '方正小标宋简体', size: 44 })],
      spacing: { after: 240 },
    }),
    para(b.docNumber, { align: AlignmentType.CENTER, indent: false }),
    ...b.sections.flatMap((s) => [
      new Paragraph({ children: [run(s.heading, { font: '黑体' })], spacing: { before: 240 } }),
      ...s.paragraphs.map((p) => para(p)),
      ...s.tables.flatMap(table),
    ]),
    para(b.office, { align: AlignmentType.RIGHT, indent: false }),
    para(chineseDate(b.date), { align: AlignmentType.RIGHT, indent: false }),
    new Paragraph({
      children: [run(b.cc, { size: 28 })],
      border: {
        top: { style: 'single', size: 6, color: '000000' },
        bottom: { style: 'single', size: 6, color: '000000' },
      },
      spacing: { before: 480 },
    }),
  ];
  const header =
    b.illustrative === null
      ? undefined
      : {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [run(b.illustrative, { size: 20, bold: true, color: 'C62828' })],
              }),
            ],
          }),
        };
  const document = new Document({
    creator: 'Gongjian 攻坚',
    title: b.title,
    sections: [{ headers: header, children }],
  });
  return Buffer.from(await Packer.toBuffer(document));
}
