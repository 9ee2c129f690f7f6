// Builds scenarios/pv-300mw.json: the example programme — a 300 MW distributed
// photovoltaic programme of sixty plants (5 MW each, under 6 MW) across three townships,
// 13.5 亿元 and 3,600 亩 in all — filed as sixty sub-projects of one programme.
// Run: npx tsx scenarios/build-pv.ts
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TOWNSHIPS = [
  { id: 'yantang', name: '严塘镇' },
  { id: 'hujv', name: '虎踞镇' },
  { id: 'mijiang', name: '秩堂镇' },
];

/** The scenario: sixty plants, signed on the eve; half start on the groundbreaking day, more later. */
export function pvScenario(): unknown {
  const plants = Array.from({ length: 60 }, (_, i) => {
    const town = TOWNSHIPS[i % 3]!;
    return {
      id: `pv-${String(i + 1).padStart(2, '0')}`,
      name: `${town.name}分布式光伏电站 ${String(i + 1).padStart(2, '0')}`,
      unitId: town.id,
      plannedInvestment: 2250,
      enterprise: '湘东新能源有限公司',
      programmeId: 'pv-300',
      annualPlan: { '2022': 1500 },
      capacity: { value: 5, unit: 'MW' },
      stage: i < 40 ? 'signed' : 'negotiating',
      land: { requiredMu: 60, houses: 0 },
      permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'],
    };
  });
  const events: unknown[] = [];
  for (const p of plants.slice(40))
    events.push({ at: '2022-08-03', by: `${p.unitId}-staff`, project: p.id, type: 'SIGN', contractAmount: 2250 });
  for (const p of plants.slice(0, 30)) {
    events.push({
      at: '2022-08-05',
      by: `${p.unitId}-staff`,
      project: p.id,
      type: 'REPORT_CLEARANCE',
      mu: 60,
      houses: 0,
    });
  }
  // The groundbreaking day: thirty plants start together.
  for (const p of plants.slice(0, 30))
    events.push({ at: '2022-08-08', by: `${p.unitId}-staff`, project: p.id, type: 'START_CONSTRUCTION' });
  for (const p of plants.slice(0, 30))
    events.push({
      at: '2022-09-03',
      by: `${p.unitId}-staff`,
      project: p.id,
      type: 'REPORT_INVESTMENT',
      month: '2022-08',
      amount: 900,
    });
  return {
    format: 'gongjian-scenario/1',
    description:
      '300MW 分布式光伏发电项目(项目群):60 座 5MW 电站,分布在三个乡镇,计划总投资 13.5 亿元、用地 3600 亩。' +
      'A programme of sixty sub-projects, each under 1 亿元: counted once among the 亿元以上 projects.',
    campaign: { id: 'pv-campaign', name: '光伏项目百日攻坚(示例)', start: '2022-08-01', days: 61, illustrative: true },
    units: TOWNSHIPS.map((t) => ({ ...t, group: 'township' })),
    staff: [
      { id: 'hq-1', name: '三高办', role: 'hq' },
      ...TOWNSHIPS.map((t) => ({ id: `${t.id}-staff`, name: `${t.name}经办员`, role: 'unit', unitId: t.id })),
    ],
    targets: Object.fromEntries(
      TOWNSHIPS.map((t) => [t.id, { '2022-08': { started: 10, landMu: 600, investment: 9000 } }]),
    ),
    programmes: [
      {
        id: 'pv-300',
        name: '300MW 分布式光伏发电项目',
        enterprise: '湘东新能源有限公司',
        plannedInvestment: 135000,
        capacity: { value: 300, unit: 'MW' },
        landMu: 3600,
        unitIds: TOWNSHIPS.map((t) => t.id),
      },
    ],
    projects: plants,
    events,
  };
}

if (import.meta.url === `file://${process.argv[1]}`)
  await writeFile(join(import.meta.dirname, 'pv-300mw.json'), `${JSON.stringify(pvScenario(), null, 2)}\n`);
