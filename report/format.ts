import { createHash } from 'node:crypto';
import {
  EVENT_LABELS,
  GROUP_LABELS,
  LOCALITIES,
  STATE_LABELS,
  LADDER_LABELS,
  TASK_LABELS,
  TOTAL_LABELS as MACHINE_TOTAL_LABELS,
  WEI_LABELS,
  type CampaignReport,
  type Light,
  type Task,
} from '../machines/index.ts';

/** Shared wording and number formats of the printed and spreadsheet reports (zh-CN). */
export const LIGHT_ZH: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const LIGHT_COLOR: Record<Light, string> = { green: '2E7D32', yellow: 'F9A825', red: 'C62828' };

export function pct(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

export function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

export const taskName = (task: Task) => `${TASK_LABELS[task].zh}(${TASK_LABELS[task].unit.zh})`;
export { GROUP_LABELS, LADDER_LABELS, TASK_LABELS, WEI_LABELS };

/**
 * The totals this campaign reports (`report.totalsShown`: 完成投资 only where investment is
 * tracked), labelled for people — 投产项目(个)… — with their values.
 */
export function totalRows(report: CampaignReport): { key: string; label: string; value: number }[] {
  return report.totalsShown.map((key) => {
    const l = MACHINE_TOTAL_LABELS[key];
    return { key, label: `${l.zh}(${l.unit.zh})`, value: report.totals[key] };
  });
}

const CHINESE_COUNT = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

/** "in the last N of its group" (排名后两位 for the default N = 2), with the campaign's N. */
export const bottomLabel = (bottomN: number) => `排名后${CHINESE_COUNT[bottomN] ?? ` ${bottomN} `}位`;

/** Problem sources and states as people read them. */
export { PROBLEM_SOURCE_LABELS, PROBLEM_STATE_LABELS } from '../machines/index.ts';

/** A unit's name as the report gives it (its id only if the report does not know it). */
export const unitName = (report: CampaignReport, id: string): string => report.names.units[id] ?? id;

/** A project's name as the report gives it. */
export const projectName = (report: CampaignReport, id: string): string => report.names.projects[id] ?? id;

/** A project event's name in Chinese (签约, 开工…). */
export const eventName = (type: string): string => EVENT_LABELS[type as keyof typeof EVENT_LABELS]?.zh ?? type;

/** The 示例数据 notice of a report with invented data, or null. */
export function illustrativeNotice(report: CampaignReport): string | null {
  const { campaign, projects } = report.illustrative;
  if (!campaign && projects === 0) return null;
  return campaign
    ? '示例数据:本报告的攻坚行动为示例,所有项目、日期与数字均非真实记录'
    : `示例数据:本报告含 ${projects} 个示例项目(为达到报道规模而设),其名称、日期与金额均非真实记录`;
}

/** A project's milestones with their dates, in order: 签约 2022-07-06;开工 2022-08-01… */
export function milestonesText(m: CampaignReport['projects'][number]['milestones']): string {
  const steps: [keyof typeof m, string][] = [
    ['signed', '签约'],
    ['started', '开工'],
    ['registered', '入库'],
    ['completed', '竣工'],
    ['production', '投产'],
    ['target', '达产'],
    ['landCleared', '征拆清零'],
    ['bondDisbursed', '专债拨付完毕'],
    ['dropped', '终止'],
  ];
  return steps
    .filter(([k]) => m[k] !== null)
    .map(([k, label]) => `${label} ${m[k]}`)
    .join(';');
}

/** 台账 columns shared by the page and the workbook: one row of text per project. */
export function ledgerRow(report: CampaignReport, p: CampaignReport['projects'][number]): string[] {
  const stage = STATE_LABELS.lifecycle[p.stage as keyof typeof STATE_LABELS.lifecycle]?.zh ?? p.stage;
  return [
    p.name,
    unitName(report, p.unitId),
    `${stage}${p.purpose === 'public' ? '(公益性)' : ''}`,
    p.wei.map((k) => WEI_LABELS[k].zh).join('、') || '—',
    num(p.plannedInvestment),
    p.land === null
      ? '—'
      : `${num(p.land.clearedMu)}/${num(p.land.requiredMu)} 亩;${num(p.land.demolished)}/${num(p.land.houses)} 栋`,
    p.bond.allocated === 0 ? '—' : `${num(p.bond.disbursed)}/${num(p.bond.allocated)} 万元`,
    milestonesText(p.milestones) || '—',
    p.chain === null
      ? '—'
      : `${p.chain.countyLeader}(${LOCALITIES[report.campaign.locality].zh}级领导)、${p.chain.unitHead}、` +
        `${p.chain.deputy}、${p.chain.handler}`,
  ];
}

export const LEDGER_HEADERS = [
  '项目',
  '责任单位',
  '阶段',
  '"八未"',
  '计划投资(万元)',
  '征拆',
  '专项债(已拨/下达)',
  '节点',
  '责任链',
];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text made safe to put in HTML (a project may be named like markup). */
export const esc = (text: string): string => text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);

/**
 * The Content-Security-Policy a printable page is served with: nothing but its own style sheet
 * (allowed by its sha256) — no scripts, no network, no framing.
 */
export function printableCsp(css: string): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
