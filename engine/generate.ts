import {
  addDays,
  campaignPeriods,
  PERMIT_KEYS,
  UNIT_GROUPS,
  type ProjectInput,
  type Stage,
  type Task,
  type UnitGroup,
} from '../machines/index.ts';
import { seededRandom } from './random.ts';
import type { Scenario } from './scenario.ts';

export interface GenerateOptions {
  projects: number;
  units: number;
  seed: number;
  days?: number;
  start?: string;
}

const GROUP_SHARE: [UnitGroup, number][] = [
  ['township', 0.5],
  ['department', 0.25],
  ['soe', 0.15],
  ['park', 0.1],
];
const STAGE_WEIGHTS: [Stage, number][] = [
  ['negotiating', 0.25],
  ['signed', 0.25],
  ['underConstruction', 0.25],
  ['completed', 0.08],
  ['inProduction', 0.12],
  ['atTarget', 0.05],
];
const NAMES = [
  '新材料',
  '农产品加工',
  '电子信息',
  '冷链物流',
  '康养',
  '装备制造',
  '光伏',
  '文旅',
  '标准厂房',
  '供水',
  '道路提质',
  '学校扩容',
];

/**
 * A realistic campaign of any size, the same for the same seed: units in the four groups,
 * projects at every stage (land to clear, bond funds, 湘商回株, ≥ 1 亿元), and dated events that
 * move them along — mostly valid, some refused as in real life — with monthly targets set
 * around the planned work so that some units miss.
 *
 * @example
 * const scenario = generateScenario({ projects: 500, units: 20, seed: 7 });
 */
export function generateScenario(options: GenerateOptions): Scenario {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const weighted = <T>(pairs: [T, number][]) => {
    let r = random() * pairs.reduce((a, [, w]) => a + w, 0);
    for (const [value, w] of pairs) {
      r -= w;
      if (r <= 0) return value;
    }
    return pairs.at(-1)![0];
  };
  const start = options.start ?? '2022-08-01';
  const days = options.days ?? 100;
  const unitCount = Math.max(4, options.units);
  const units: Scenario['units'] = Array.from({ length: unitCount }, (_, i) => {
    const group = i < UNIT_GROUPS.length ? UNIT_GROUPS[i]! : weighted(GROUP_SHARE);
    return {
      id: `u${i + 1}`,
      name: `${group === 'township' ? '乡镇' : group === 'department' ? '县直部门' : group === 'soe' ? '国企' : '园区'}${i + 1}`,
      group,
    };
  });
  const staff: Scenario['staff'] = [
    { id: 'hq-1', name: '三高办', role: 'hq' },
    { id: 'finance-1', name: '财政局', role: 'finance' },
    { id: 'stats-1', name: '统计局', role: 'stats' },
    ...units.map((u) => ({ id: `${u.id}-staff`, name: `${u.name}经办员`, role: 'unit' as const, unitId: u.id })),
  ];
  const projects: Scenario['projects'] = [];
  const events: Scenario['events'] = [];
  const planned = new Map<string, number>(); // unit|month|task → planned amount
  const periods = campaignPeriods(start, days);
  const monthOf = (date: string) => periods.find((p) => date >= p.from && date <= p.to)?.month;
  const plan = (unitId: string, at: string, task: Task, amount: number) => {
    const month = monthOf(at);
    if (month !== undefined)
      planned.set(`${unitId}|${month}|${task}`, (planned.get(`${unitId}|${month}|${task}`) ?? 0) + amount);
  };

  for (let i = 0; i < options.projects; i++) {
    const unit = pick(units);
    const stage = weighted(STAGE_WEIGHTS);
    const built = !['negotiating', 'signed'].includes(stage);
    const investment = Math.round((random() < 0.2 ? 10_000 + random() * 40_000 : 500 + random() * 9_000) / 10) * 10;
    const land =
      stage !== 'completed' && stage !== 'inProduction' && stage !== 'atTarget' && random() < 0.35
        ? { requiredMu: Math.round(20 + random() * 200), houses: Math.floor(random() * 12) }
        : undefined;
    const bond = built && random() < 0.25 ? { allocated: Math.round(500 + random() * 5000), disbursed: 0 } : undefined;
    const input: ProjectInput = {
      id: `p${i + 1}`,
      name: `${unit.name}${pick(NAMES)}项目${i + 1}`,
      unitId: unit.id,
      plannedInvestment: investment,
      stage,
      permits: built ? [...PERMIT_KEYS] : stage === 'signed' && random() < 0.5 ? [...PERMIT_KEYS] : [],
      ...(land ? { land } : {}),
      ...(bond ? { bond } : {}),
      ...(['completed', 'inProduction', 'underConstruction'].includes(stage)
        ? { outputTarget: Math.round(100 + random() * 900) }
        : {}),
      ...(random() < 0.12 ? { flags: { xiangshang: true } } : {}),
      ...(built && investment >= 500 && random() < 0.6 ? { statsRegistered: true } : {}),
    };
    projects.push(input);
    // Walk the project forward through the campaign.
    const by = `${unit.id}-staff`;
    let day = Math.floor(random() * 20);
    const next = () => {
      day = Math.min(days - 1, day + 1 + Math.floor(random() * 15));
      return addDays(start, day);
    };
    const send = (at: string, type: string, payload: Record<string, unknown> = {}, who = by) =>
      events.push({ at, by: who, project: input.id, type, ...payload });
    let current: Stage = stage;
    let landLeft = land?.requiredMu ?? 0;
    let housesLeft = land?.houses ?? 0;
    if (current === 'negotiating' && random() < 0.6) {
      const at = next();
      send(at, 'SIGN', { contractAmount: investment });
      plan(unit.id, at, 'signed', 1);
      current = 'signed';
    }
    if (land && random() < 0.8) {
      for (let k = 0; k < 3 && landLeft > 0; k++) {
        const mu = k === 2 ? landLeft : Math.round(landLeft * (0.3 + random() * 0.4));
        const houses = k === 2 ? housesLeft : Math.floor(housesLeft / 2);
        if (mu <= 0 && houses <= 0) continue;
        const at = next();
        send(at, 'REPORT_CLEARANCE', { mu, houses });
        plan(unit.id, at, 'landMu', mu);
        plan(unit.id, at, 'housesDemolished', houses);
        landLeft -= mu;
        housesLeft -= houses;
      }
    }
    if (current === 'signed' && random() < 0.1) send(next(), 'START_CONSTRUCTION'); // often refused: permits or land
    if (
      current === 'signed' &&
      input.permits?.length === 4 &&
      (land === undefined || landLeft <= 0) &&
      random() < 0.7
    ) {
      const at = next();
      send(at, 'START_CONSTRUCTION');
      plan(unit.id, at, 'started', 1);
      current = 'underConstruction';
    }
    if (current === 'underConstruction' && input.statsRegistered !== true && investment >= 500 && random() < 0.5) {
      const at = next();
      send(at, 'REGISTER_STATS', {}, 'stats-1');
      plan(unit.id, at, 'registered', 1);
    }
    if (bond) {
      let open = bond.allocated;
      for (let k = 0; k < 2; k++) {
        const amount = k === 1 && random() < 0.15 ? open + 100 : Math.round(open * (0.3 + random() * 0.5));
        const at = next();
        send(at, 'DISBURSE_BOND', { amount }, 'finance-1');
        if (amount <= open) {
          plan(unit.id, at, 'bondDisbursed', amount);
          open -= amount;
        }
      }
    }
    if (current === 'underConstruction' && stage === 'underConstruction' && random() < 0.3) {
      const at = next();
      send(at, 'COMPLETE');
      plan(unit.id, at, 'completed', 1);
      current = 'completed';
    }
    if (current === 'completed' && random() < 0.5) {
      const at = next();
      send(at, 'START_PRODUCTION');
      if (stage === 'completed') plan(unit.id, at, 'intoProduction', 1);
      current = 'inProduction';
    }
    if (current === 'inProduction' && input.outputTarget !== undefined) {
      const at = next();
      const month = `${addDays(at, -31).slice(0, 7)}`;
      const reaches = random() < 0.5;
      send(at, 'REPORT_OUTPUT', { month, output: Math.round(input.outputTarget * (reaches ? 1.05 : 0.8)) });
      if (reaches && stage === 'inProduction') plan(unit.id, at, 'reachedTarget', 1);
    }
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const targets: Scenario['targets'] = {};
  for (const [key, amount] of [...planned].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [unitId, month, task] = key.split('|') as [string, string, Task];
    // Targets around the planned work: most met, some missed.
    const target = Math.max(1, Math.round(amount * (random() < 0.2 ? 1.3 : 0.9)));
    targets[unitId] ??= {};
    targets[unitId][month] ??= {};
    targets[unitId][month][task] = target;
  }
  return {
    format: 'gongjian-scenario/1',
    description: `generated: ${options.projects} projects, ${unitCount} units, seed ${options.seed}`,
    campaign: { id: `generated-${options.seed}`, name: `生成的攻坚行动 ${options.seed}`, start, days },
    units,
    staff,
    targets,
    projects,
    events,
  };
}
