/**
 * Builds scenarios/chaling-2022.json from the source article (Zhuzhou Daily on Chaling county's
 * 八未 campaign; ../shared/seed/zhuzhou-daily-chaling-bawei.txt). Deterministic: run it again
 * and the file is the same.
 *
 *   npx tsx scenarios/build-chaling.ts
 *
 * What the article gives, and where it is here:
 * - the 八未, the units (乡镇/街道, 县直部门, 国有企业, 园区), "百余" projects in the not-yets;
 * - named projects: 莱康新能源, 湖南懿鹏航空科技 (经开区, in production, help pool),
 *   龙华农牧现代农业产业加工园 and 晶彩电子二期 (8-19 on-site office meeting: permits and
 *   land pre-acquisition), 株洲南部生活垃圾焚烧发电 (9-6 hand-over list);
 * - published results: 7 into production, 8 reaching target, 10 special-bond projects
 *   advanced, 1,296 亩 supplied and 153 houses demolished, the 1,018.5 亩 task met ahead of
 *   time, 4 signings of ≥ 1 亿元, 7 of the year's ≥ 1 亿元 key projects started, 20 湘商回株
 *   projects, and in the park 4 new signings, 3 starts, 3 completions. The simulation computes
 *   them from the events below; nothing here states them.
 * Everything else (the other projects, amounts, dates, staff) is illustrative and marked so.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLedger, campaignPeriods, type ProjectInput, type Task } from '../machines/index.ts';
import { parseScenario, simulate, type Scenario } from '../engine/index.ts';

const START = '2022-06-23';
const DAYS = 100; // to 2022-09-30: "截至9月底"
const ALL = ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'] as const;

const units: Scenario['units'] = [
  { id: 'economic-zone', name: '茶陵经开区', group: 'park' },
  ...[
    ['sicong', '思聪街道'],
    ['xiadong', '下东街道'],
    ['yunyang', '云阳街道'],
    ['hujv', '虎踞镇'],
    ['yantang', '严塘镇'],
    ['jieshou', '界首镇'],
    ['yaolu', '腰潞镇'],
    ['majiang', '马江镇'],
  ].map(([id, name]) => ({ id: id!, name: name!, group: 'township' as const })),
  ...[
    ['development-reform', '县发改局'],
    ['housing', '县住建局'],
    ['transport', '县交通运输局'],
    ['natural-resources', '县自然资源局'],
    ['urban-management', '县城管局'],
    ['water', '县水利局'],
  ].map(([id, name]) => ({ id: id!, name: name!, group: 'department' as const })),
  ...[
    ['urban-investment', '县城发集团'],
    ['transport-investment', '县交投集团'],
    ['industrial-investment', '县产投集团'],
  ].map(([id, name]) => ({ id: id!, name: name!, group: 'soe' as const })),
];
const TOWNSHIPS = units.filter((u) => u.group === 'township').map((u) => u.id);

const staff: Scenario['staff'] = [
  { id: 'hq-1', name: '三高办督查组', role: 'hq' },
  { id: 'leader-1', name: '县委副书记、县长(调度)', role: 'leader' },
  { id: 'finance-1', name: '县财政局', role: 'finance' },
  { id: 'stats-1', name: '县统计局', role: 'stats' },
  ...units.map((u) => ({ id: `${u.id}-staff`, name: `${u.name}经办员`, role: 'unit' as const, unitId: u.id })),
];

const projects: Scenario['projects'] = [];
const events: Scenario['events'] = [];
const project = (p: ProjectInput & { illustrative?: boolean }) => projects.push({ illustrative: true, ...p });
const ev = (at: string, by: string, target: string, type: string, payload: Record<string, unknown> = {}) =>
  events.push({ at, by, project: target, type, ...payload });
const staffOf = (unitId: string) => `${unitId}-staff`;
/** Splits n into three whole parts of about 40%, 35%, 25%. */
const thirds = (n: number): [number, number, number] => {
  const a = Math.round(n * 0.4);
  const b = Math.round(n * 0.35);
  return [a, b, n - a - b];
};

// ── 茶陵经开区 (the park) ─────────────────────────────────────────────────────────────────
project({
  id: 'laikang',
  name: '莱康新能源',
  enterprise: '莱康新能源',
  unitId: 'economic-zone',
  plannedInvestment: 25000,
  stage: 'inProduction',
  permits: [...ALL],
  statsRegistered: true,
  outputTarget: 3000,
  illustrative: false,
});
project({
  id: 'yipeng',
  name: '湖南懿鹏航空科技',
  enterprise: '湖南懿鹏航空科技有限公司',
  unitId: 'economic-zone',
  plannedInvestment: 18000,
  stage: 'inProduction',
  permits: [...ALL],
  statsRegistered: true,
  outputTarget: 2000,
  illustrative: false,
});
project({
  id: 'longhua',
  name: '龙华农牧现代农业产业加工园',
  unitId: 'economic-zone',
  plannedInvestment: 50000,
  stage: 'signed',
  contractAmount: 50000,
  permits: ['landUsePlanning'],
  land: { requiredMu: 320, houses: 12, clearedMu: 180, demolished: 5 },
  since: '2022-05-10',
  illustrative: false,
});
project({
  id: 'jingcai-2',
  name: '晶彩电子二期',
  unitId: 'economic-zone',
  plannedInvestment: 30000,
  stage: 'signed',
  contractAmount: 30000,
  land: { requiredMu: 120, houses: 4 },
  since: '2022-06-01',
  illustrative: false,
});
project({
  id: 'ez-start-3',
  name: '经开区智能装备产业园(示例)',
  unitId: 'economic-zone',
  plannedInvestment: 20000,
  stage: 'signed',
  contractAmount: 20000,
  permits: [...ALL],
  since: '2022-06-10',
});
for (let i = 1; i <= 4; i++)
  project({
    id: `ez-sign-${i}`,
    name: `经开区新签约亿元项目${i}(示例)`,
    unitId: 'economic-zone',
    plannedInvestment: 10000 + i * 5000,
  });
for (let i = 1; i <= 3; i++)
  project({
    id: `ez-build-${i}`,
    name: `经开区在建厂房${i}(示例)`,
    unitId: 'economic-zone',
    plannedInvestment: 6000 + i * 1000,
    stage: 'underConstruction',
    permits: [...ALL],
    statsRegistered: true,
    outputTarget: 500,
  });

ev('2022-07-05', staffOf('economic-zone'), 'laikang', 'ENTER_HELP_POOL', {
  expert: '经开区产业发展局刘年勇(中长期贴息贷款辅导)',
});
ev('2022-07-08', staffOf('economic-zone'), 'laikang', 'REPORT_OUTPUT', { month: '2022-06', output: 2400 });
ev('2022-08-08', staffOf('economic-zone'), 'laikang', 'REPORT_OUTPUT', { month: '2022-07', output: 2800 });
ev('2022-09-08', staffOf('economic-zone'), 'laikang', 'REPORT_OUTPUT', { month: '2022-08', output: 3100 });
ev('2022-07-09', staffOf('economic-zone'), 'yipeng', 'ENTER_HELP_POOL', {
  expert: '对接中国航空动力机械研究所(联点干部)',
});
ev('2022-08-09', staffOf('economic-zone'), 'yipeng', 'REPORT_OUTPUT', { month: '2022-07', output: 1700 });
ev('2022-09-09', staffOf('economic-zone'), 'yipeng', 'REPORT_OUTPUT', { month: '2022-08', output: 2050 });
ev('2022-07-12', staffOf('economic-zone'), 'ez-start-3', 'START_CONSTRUCTION');
ev('2022-07-15', staffOf('economic-zone'), 'ez-sign-1', 'SIGN', { contractAmount: 15000 });
ev('2022-07-26', staffOf('economic-zone'), 'ez-sign-2', 'SIGN', { contractAmount: 20000 });
ev('2022-08-18', staffOf('economic-zone'), 'ez-sign-3', 'SIGN', { contractAmount: 25000 });
ev('2022-09-16', staffOf('economic-zone'), 'ez-sign-4', 'SIGN', { contractAmount: 30000 });
ev('2022-07-20', staffOf('economic-zone'), 'longhua', 'REPORT_CLEARANCE', { mu: 60, houses: 3 });
ev('2022-07-28', staffOf('economic-zone'), 'jingcai-2', 'REPORT_CLEARANCE', { mu: 70, houses: 2 });
ev('2022-07-29', staffOf('economic-zone'), 'ez-build-1', 'COMPLETE');
ev('2022-08-10', staffOf('economic-zone'), 'jingcai-2', 'START_CONSTRUCTION', { comment: 'refused: land not cleared' });
ev('2022-08-16', staffOf('economic-zone'), 'ez-build-2', 'COMPLETE');
ev('2022-08-23', staffOf('economic-zone'), 'ez-build-3', 'COMPLETE');
// 8-19 on-site office meeting (现场办公会): permits and land pre-acquisition for 龙华农牧 and 晶彩电子二期.
const meeting = [
  ['p-longhua-permits', 'longhua', '龙华农牧:用地及规划许可手续办理', 'economic-zone'],
  ['p-longhua-land', 'longhua', '龙华农牧:土地预征', 'natural-resources'],
  ['p-jingcai-permits', 'jingcai-2', '晶彩电子二期:施工许可等手续办理', 'economic-zone'],
  ['p-jingcai-land', 'jingcai-2', '晶彩电子二期:土地预征', 'natural-resources'],
] as const;
for (const [id, projectId, title] of meeting)
  events.push({
    at: '2022-08-19',
    by: 'hq-1',
    type: 'RAISE_PROBLEM',
    problem: id,
    projectId,
    title,
    source: 'onSiteMeeting',
    raisedBy: '茶陵县园区重点项目现场办公会',
  });
for (const [id, , , unitId] of meeting)
  events.push({ at: '2022-08-19', by: 'hq-1', problem: id, type: 'ASSIGN', unitId, due: '2022-09-10' });
ev('2022-08-19', 'hq-1', 'longhua', 'GREEN_CHANNEL');
ev('2022-08-19', 'hq-1', 'jingcai-2', 'GREEN_CHANNEL');
ev('2022-08-25', staffOf('economic-zone'), 'jingcai-2', 'REPORT_CLEARANCE', {
  mu: 80,
  houses: 2,
  comment: 'refused: more than the 50 亩 left',
});
ev('2022-08-25', staffOf('economic-zone'), 'jingcai-2', 'REPORT_CLEARANCE', { mu: 50, houses: 2 });
ev('2022-08-30', staffOf('economic-zone'), 'longhua', 'REPORT_CLEARANCE', { mu: 80, houses: 4 });
for (const [i, permit] of ['construction', 'landTitle', 'engineeringPlanning'].entries())
  ev(`2022-09-0${i + 1}`, staffOf('economic-zone'), 'longhua', 'GRANT_PERMIT', { permit });
for (const [i, permit] of ALL.entries())
  ev(`2022-09-0${i + 2}`, staffOf('economic-zone'), 'jingcai-2', 'GRANT_PERMIT', { permit });
for (const [id, , , unitId] of meeting)
  events.push({
    at: '2022-09-06',
    by: staffOf(unitId),
    problem: id,
    type: 'RESOLVE',
    note: '手续已办结/土地已完成预征',
  });
for (const [id] of meeting) events.push({ at: '2022-09-09', by: 'hq-1', problem: id, type: 'VERIFY' });
ev('2022-09-15', staffOf('economic-zone'), 'jingcai-2', 'START_CONSTRUCTION');
ev('2022-09-20', staffOf('economic-zone'), 'longhua', 'START_CONSTRUCTION');
ev('2022-09-13', staffOf('economic-zone'), 'ez-build-1', 'START_PRODUCTION');
ev('2022-09-22', staffOf('economic-zone'), 'ez-build-2', 'START_PRODUCTION');

// ── townships ─────────────────────────────────────────────────────────────────────────────
// 20 湘商回株 projects sign (July 8, August 7, September 5); 严塘镇 falls behind.
const xiangshang: Record<string, string[]> = {
  sicong: ['2022-07-06', '2022-07-21', '2022-08-12'],
  xiadong: ['2022-07-08', '2022-07-19', '2022-08-15', '2022-09-07'],
  yunyang: ['2022-07-14', '2022-08-17', '2022-09-14'],
  hujv: ['2022-07-18', '2022-08-22'],
  jieshou: ['2022-07-22', '2022-08-24'],
  yaolu: ['2022-07-25', '2022-09-19'],
  majiang: ['2022-08-26', '2022-09-21'],
  yantang: ['2022-08-29', '2022-09-23'],
};
for (const [unitId, dates] of Object.entries(xiangshang)) {
  dates.forEach((at, i) => {
    const id = `${unitId}-xs-${i + 1}`;
    project({
      id,
      name: `${units.find((u) => u.id === unitId)!.name}湘商回株项目${i + 1}(示例)`,
      unitId,
      plannedInvestment: 3000 + i * 1500,
      flags: { xiangshang: true },
    });
    ev(at, staffOf(unitId), id, 'SIGN', { contractAmount: 3000 + i * 1500 });
  });
}
// Land for township projects: 1,036 亩 and 142 houses, reported in July, August and September.
const land: [string, number, number][] = [
  ['sicong', 160, 24],
  ['xiadong', 140, 20],
  ['yunyang', 130, 18],
  ['hujv', 120, 16],
  ['yantang', 150, 22],
  ['jieshou', 116, 14],
  ['yaolu', 110, 14],
  ['majiang', 110, 14],
];
land.forEach(([unitId, mu, houses], i) => {
  const id = `${unitId}-land`;
  project({
    id,
    name: `${units.find((u) => u.id === unitId)!.name}安置及产业用地征拆(示例)`,
    unitId,
    plannedInvestment: 4000,
    stage: 'signed',
    contractAmount: 4000,
    land: { requiredMu: mu, houses },
    since: '2022-05-20',
  });
  const m = thirds(mu);
  const h = thirds(houses);
  for (const [k, month] of ['2022-07-', '2022-08-', '2022-09-'].entries()) {
    ev(`${month}${String(10 + i).padStart(2, '0')}`, staffOf(unitId), id, 'REPORT_CLEARANCE', {
      mu: m[k],
      houses: h[k],
    });
  }
});
// Factories in production: six reach their target, two stay below (one in the help pool).
const factories: [string, string | null][] = [
  ['sicong', '2022-07-12'],
  ['xiadong', '2022-08-11'],
  ['yunyang', '2022-08-19'],
  ['hujv', '2022-09-06'],
  ['yaolu', '2022-09-12'],
  ['majiang', '2022-09-15'],
  ['jieshou', null],
  ['yantang', null],
];
for (const [unitId, reachOn] of factories) {
  const id = `${unitId}-factory`;
  project({
    id,
    name: `${units.find((u) => u.id === unitId)!.name}规上工业企业扩产(示例)`,
    unitId,
    plannedInvestment: 5000,
    stage: 'inProduction',
    permits: [...ALL],
    statsRegistered: true,
    outputTarget: 800,
  });
  if (reachOn === null) {
    ev('2022-08-05', staffOf(unitId), id, 'REPORT_OUTPUT', { month: '2022-07', output: 620 });
    if (unitId === 'jieshou')
      ev('2022-08-06', staffOf(unitId), id, 'ENTER_HELP_POOL', { expert: '县工信局帮扶专家组' });
  } else {
    const month = `${reachOn.slice(0, 5)}${String(Number(reachOn.slice(5, 7)) - 1).padStart(2, '0')}`;
    ev(reachOn, staffOf(unitId), id, 'REPORT_OUTPUT', { month, output: 860 });
  }
}
// Completed projects that start production in September (5), and constructions finishing.
for (const [i, unitId] of ['sicong', 'xiadong', 'hujv', 'jieshou', 'majiang'].entries()) {
  const id = `${unitId}-plant`;
  project({
    id,
    name: `${units.find((u) => u.id === unitId)!.name}农产品加工厂(示例)`,
    unitId,
    plannedInvestment: 2500,
    stage: 'completed',
    permits: [...ALL],
    statsRegistered: true,
    outputTarget: 300,
    since: '2022-06-15',
  });
  ev(`2022-09-${String(5 + i * 4).padStart(2, '0')}`, staffOf(unitId), id, 'START_PRODUCTION');
}
for (const unitId of ['yunyang', 'yaolu']) {
  const id = `${unitId}-market`;
  project({
    id,
    name: `${units.find((u) => u.id === unitId)!.name}农贸市场提质(示例)`,
    unitId,
    plannedInvestment: 1800,
    stage: 'underConstruction',
    permits: [...ALL],
    statsRegistered: true,
  });
  ev(unitId === 'yunyang' ? '2022-08-27' : '2022-09-17', staffOf(unitId), id, 'COMPLETE');
}
// Smaller projects that start (below 1 亿元), then get registered in statistics.
for (const [i, unitId] of ['sicong', 'hujv', 'majiang'].entries()) {
  const id = `${unitId}-start`;
  project({
    id,
    name: `${units.find((u) => u.id === unitId)!.name}标准厂房(示例)`,
    unitId,
    plannedInvestment: 3500,
    stage: 'signed',
    contractAmount: 3500,
    permits: [...ALL],
    since: '2022-06-05',
  });
  ev(`2022-07-${String(11 + i * 5).padStart(2, '0')}`, staffOf(unitId), id, 'START_CONSTRUCTION');
  ev(`2022-08-${String(12 + i * 5).padStart(2, '0')}`, 'stats-1', id, 'REGISTER_STATS');
}

// ── departments and state-owned enterprises ────────────────────────────────────────────────
const bondProjects: [string, string, string, number, number, number[]][] = [
  ['waste-to-energy', '株洲南部生活垃圾焚烧发电', 'urban-management', 60000, 8000, [1500, 2000, 1500]],
  ['housing-renewal', '老旧小区改造(示例)', 'housing', 9000, 3000, [800, 1000, 700]],
  ['transport-road', '云阳大道提质改造(示例)', 'transport', 12000, 5000, [1000, 500, 1500]],
  ['water-supply', '城乡供水一体化(示例)', 'water', 15000, 4000, [900, 1100, 1000]],
  ['dr-cold-chain', '冷链物流园(示例)', 'development-reform', 16000, 3500, [700, 800, 900]],
  ['ui-industrial-park', '产业园基础设施(示例)', 'urban-investment', 22000, 6000, [1200, 1500, 1300]],
  ['ui-school', '城区学校扩容(示例)', 'urban-investment', 8000, 2500, [500, 600, 700]],
  ['ti-logistics', '物流园道路(示例)', 'transport-investment', 11000, 3000, [600, 800, 700]],
  ['ii-standard-plant', '标准化厂房(示例)', 'industrial-investment', 13000, 3500, [700, 900, 800]],
  ['nr-land-reserve', '土地收储整治(示例)', 'natural-resources', 7000, 2000, [400, 500, 600]],
];
for (const [id, name, unitId, invest, allocated, payments] of bondProjects) {
  project({
    id,
    name,
    unitId,
    plannedInvestment: invest,
    stage: 'underConstruction',
    permits: [...ALL],
    statsRegistered: true,
    bond: { allocated, disbursed: 500 },
    illustrative: id !== 'waste-to-energy',
  });
  for (const [k, amount] of payments.entries()) {
    ev(`2022-0${7 + k}-${k === 1 && unitId === 'transport' ? '30' : '20'}`, 'finance-1', id, 'DISBURSE_BOND', {
      amount,
    });
  }
}
ev('2022-08-21', 'finance-1', 'housing-renewal', 'DISBURSE_BOND', {
  amount: 9000,
  comment: 'refused: beyond the allocation',
});
ev('2022-08-21', staffOf('transport'), 'transport-road', 'ALLOCATE_BOND', {
  amount: 500,
  comment: 'forbidden: only the finance bureau allocates',
});
// 9-6: the county head's dispatch of the waste-to-energy plant, with a hand-over list (交办清单).
const handover = [
  ['p-wte-road', '垃圾焚烧发电:进场道路及配套管网', 'urban-management'],
  ['p-wte-grid', '垃圾焚烧发电:并网接入手续', 'development-reform'],
] as const;
for (const [id, title] of handover)
  events.push({
    at: '2022-09-06',
    by: 'leader-1',
    type: 'RAISE_PROBLEM',
    problem: id,
    projectId: 'waste-to-energy',
    title,
    source: 'onSiteMeeting',
    raisedBy: '县委副书记、县长调度',
  });
for (const [id, , unitId] of handover)
  events.push({ at: '2022-09-06', by: 'hq-1', problem: id, type: 'ASSIGN', unitId, due: '2022-09-25' });
for (const [id, , unitId] of handover)
  events.push({ at: '2022-09-23', by: staffOf(unitId), problem: id, type: 'RESOLVE', note: '已按清单办结' });
for (const [id] of handover) events.push({ at: '2022-09-27', by: 'hq-1', problem: id, type: 'VERIFY' });
// Four key projects of ≥ 1 亿元 outside the park honour their contracts (start).
const majorStarts: [string, string, string, string][] = [
  ['ui-new-district', '新城片区开发(示例)', 'urban-investment', '2022-07-27'],
  ['ti-expressway-link', '高速连接线(示例)', 'transport-investment', '2022-08-03'],
  ['ii-new-materials', '新材料产业项目(示例)', 'industrial-investment', '2022-08-31'],
  ['dr-health-park', '康养产业园(示例)', 'development-reform', '2022-09-08'],
];
for (const [id, name, unitId, at] of majorStarts) {
  project({
    id,
    name,
    unitId,
    plannedInvestment: 12000 + id.length * 500,
    stage: 'signed',
    contractAmount: 12000,
    permits: [...ALL],
    since: '2022-06-01',
  });
  ev(at, staffOf(unitId), id, 'START_CONSTRUCTION');
}
events.push({
  at: '2022-09-28',
  by: 'hq-1',
  type: 'RECORD_ACCOUNTABILITY',
  unit: 'natural-resources',
  reason: '土地报批拖延,影响重点项目供地(示例)',
});

// ── further projects in the not-yets that do not move in these hundred days ─────────────────
const idle: [string, Partial<ProjectInput>][] = [
  ['洽谈项目', {}],
  ['签约待建项目', { stage: 'signed', contractAmount: 2000, since: '2022-03-15' }],
  ['在建未入库项目', { stage: 'underConstruction', permits: [...ALL], since: '2022-06-01' }],
  [
    '专债项目',
    { stage: 'underConstruction', permits: [...ALL], statsRegistered: true, bond: { allocated: 1200, disbursed: 300 } },
  ],
];
let n = 0;
for (const unitId of [...TOWNSHIPS, 'housing', 'water', 'transport', 'natural-resources']) {
  for (const [label, extra] of idle) {
    if (unitId === 'water' && label === '专债项目') continue;
    n += 1;
    project({
      id: `${unitId}-idle-${n}`,
      name: `${units.find((u) => u.id === unitId)!.name}${label}${n}(示例)`,
      unitId,
      plannedInvestment: 1500 + (n % 7) * 300,
      ...extra,
    });
  }
}

events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

/** Targets: the planned monthly work (what the events deliver), with the misses the article's rules must show. */
async function main(): Promise<void> {
  const draft: Scenario = {
    format: 'gongjian-scenario/1',
    description:
      '茶陵县"八未"项目建设百日攻坚(2022-06-23 至 2022-09-30)。项目名称与成果数据来自株洲日报报道;标注 illustrative 的项目及全部日期、金额为示例。',
    source: 'shared/seed/zhuzhou-daily-chaling-bawei.txt',
    campaign: {
      id: 'chaling-2022',
      name: '茶陵县"八未"项目建设百日攻坚',
      start: START,
      days: DAYS,
      landTaskMu: 1018.5,
    },
    units,
    staff,
    targets: {},
    projects,
    events,
  };
  const run = await simulate(parseScenario(draft));
  const facts = [];
  for await (const f of run.engine.store.entries()) facts.push(f);
  const startSeq = facts.find(
    (f) => f.entity === 'campaign' && (f.event as { type?: string } | undefined)?.type === 'START',
  )!.seq;
  const ledger = buildLedger(facts, startSeq);
  const targets: Scenario['targets'] = {};
  /** The task → target table of a unit in a month, made on first use. */
  const targetsOf = (unitId: string, month: string): Partial<Record<Task, number>> => {
    targets[unitId] ??= {};
    targets[unitId][month] ??= {};
    return targets[unitId][month];
  };
  const periods = campaignPeriods(START, DAYS);
  for (const m of ledger.movements) {
    if (!m.baseline || m.task === 'majorSignings' || m.task === 'xiangshang') continue;
    const month = periods.find((p) => m.at >= p.from && m.at <= p.to)?.month;
    if (month === undefined) continue;
    const byTask = targetsOf(m.unitId, month);
    byTask[m.task] = Math.round(((byTask[m.task] ?? 0) + m.amount) * 100) / 100;
  }
  // 严塘镇: two 湘商回株 signings planned in July (none came) and two in August (one came).
  targetsOf('yantang', '2022-07').signed = 2;
  targetsOf('yantang', '2022-08').signed = 2;
  // 县交通运输局: 1,000 万元 of bond funds to pay out in August (500 went out).
  targetsOf('transport', '2022-08').bondDisbursed = 1000;
  // 县自然资源局: land-reserve payouts short in September (800 planned, 600 paid); held accountable.
  targetsOf('natural-resources', '2022-09').bondDisbursed = 800;
  const scenario = parseScenario({ ...draft, targets });
  writeFileSync(join(import.meta.dirname, 'chaling-2022.json'), `${JSON.stringify(scenario, null, 1)}\n`);
  console.log(`wrote scenarios/chaling-2022.json: ${projects.length} projects, ${events.length} events`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
