import { isIsoDate } from './dates.ts';
import { STATS_THRESHOLD_WAN } from './project-checks.ts';
import type { Bilingual } from './rules.ts';
import {
  PERMIT_KEYS,
  STAGES,
  STARTED_STAGES,
  isLandCleared,
  type PermitKey,
  type ProjectContext,
  type ProjectInput,
  type ProjectStateValue,
  type Stage,
} from './project-types.ts';
import { isFiniteNumber, quantityBoundProblem, roundQuantity, type QuantityKind } from './quantity.ts';

/** One thing wrong with a project's input, naming the field. */
export interface InputProblem extends Bilingual {
  field: string;
}

/** Thrown when a project's input is malformed or contradicts itself; `problems` lists every issue. */
export class ProjectInputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super(`invalid project input: ${problems.map((p) => `${p.field}: ${p.en}`).join('; ')}`);
    this.name = 'ProjectInputError';
    this.problems = problems;
  }
}

/**
 * Every problem with a project's input: wrong types, negative money, and contradictions
 * (cleared more land than required, under construction without its permits, registered in
 * statistics before starting…). An empty list means the input is good.
 *
 * A project registered as already under construction may still have land clearing: phased
 * land supply (先行用地) is common, and it is exactly the 开工未竣工 + 征拆未清零 overlap the
 * campaign tracks. Starting construction *through the machine* still requires cleared land.
 */
export function validateProjectInput(input: unknown): InputProblem[] {
  const problems: InputProblem[] = [];
  const add = (field: string, zh: string, en: string) => problems.push({ field, zh, en });
  if (typeof input !== 'object' || input === null) {
    add('', '项目信息须为对象', 'project input must be an object');
    return problems;
  }
  const i = input as Record<string, unknown>;
  // The form of ids (machines/ids.ts) is checked where requests enter (HTTP, scenario, CLI), not
  // here: a journal written before that rule must still replay.
  for (const key of ['id', 'name', 'unitId'] as const) {
    if (typeof i[key] !== 'string' || (i[key] as string).trim() === '')
      add(key, `${key} 不能为空`, `${key} must be a non-empty string`);
  }
  /** A quantity above its domain bound would overflow the rounded totals (see quantity.ts). */
  const bounded = (kind: QuantityKind, field: string, value: unknown, label: string) => {
    const problem = isFiniteNumber(value) ? quantityBoundProblem(kind, field, label, value) : null;
    if (problem !== null) add(field, problem.zh, problem.en);
  };
  const nonNegative = (kind: QuantityKind, field: string, value: unknown, label: string) => {
    if (!isFiniteNumber(value) || value < 0)
      add(field, `${label}须为非负数(收到:${String(value)})`, `${field} must be a number ≥ 0 (got ${String(value)})`);
    else bounded(kind, field, value, label);
  };
  nonNegative('money', 'plannedInvestment', i.plannedInvestment, '计划总投资');
  if (i.annualPlan !== undefined) {
    const plan = i.annualPlan as Record<string, unknown> | null;
    if (typeof plan !== 'object' || plan === null || Array.isArray(plan))
      add('annualPlan', '年度计划须为 年份 → 万元', 'annualPlan must map a year (YYYY) to 万元');
    else {
      let sum = 0;
      for (const [year, amount] of Object.entries(plan)) {
        if (!/^\d{4}$/.test(year)) add(`annualPlan.${year}`, `年份「${year}」应为 YYYY`, `year "${year}" must be YYYY`);
        nonNegative('money', `annualPlan.${year}`, amount, `${year} 年计划投资`);
        if (isFiniteNumber(amount)) sum += amount;
      }
      if (isFiniteNumber(i.plannedInvestment) && sum > i.plannedInvestment + 1e-6)
        add(
          'annualPlan',
          `各年度计划合计 ${sum} 万元,超过计划总投资 ${i.plannedInvestment} 万元`,
          `the annual plans add up to ${sum}, more than the planned total ${i.plannedInvestment}`,
        );
    }
  }
  if (i.capacity !== undefined) {
    const c = i.capacity as { value?: unknown; unit?: unknown } | null;
    if (c === null || typeof c !== 'object' || !isFiniteNumber(c.value) || c.value < 0)
      add('capacity.value', '规模须为非负数', 'capacity.value must be a number ≥ 0');
    if (c === null || typeof c !== 'object' || typeof c.unit !== 'string' || c.unit.trim() === '')
      add('capacity.unit', '规模须注明单位(如 MW)', 'capacity.unit must name the unit (e.g. MW)');
  }
  if (i.programmeId !== undefined && (typeof i.programmeId !== 'string' || i.programmeId.trim() === ''))
    add('programmeId', '所属项目群不能为空', 'programmeId must be a non-empty string');

  const stage = (i.stage ?? 'negotiating') as Stage;
  if (!STAGES.includes(stage))
    add(
      'stage',
      `未知阶段「${String(i.stage)}」`,
      `unknown stage "${String(i.stage)}", expected one of ${STAGES.join(', ')}`,
    );
  const built = STARTED_STAGES.includes(stage);

  const permits = i.permits ?? [];
  if (!Array.isArray(permits) || permits.some((p) => !(PERMIT_KEYS as readonly unknown[]).includes(p))) {
    add('permits', `证件须为 ${PERMIT_KEYS.join('、')} 之一`, `permits must be a list of ${PERMIT_KEYS.join(', ')}`);
  } else if (new Set(permits).size !== permits.length) {
    add('permits', '证件重复', 'a permit is listed twice');
  } else if (built && permits.length < PERMIT_KEYS.length) {
    add(
      'permits',
      `已开工的项目须四证齐全(已列 ${permits.length}/4)`,
      `a project past construction start must hold all four permits (${permits.length}/4 listed)`,
    );
  }

  if (i.statsRegistered === true) {
    if (!built)
      add(
        'statsRegistered',
        '未开工的项目不能已入库',
        'a project cannot be registered in statistics before construction starts',
      );
    if (isFiniteNumber(i.plannedInvestment) && i.plannedInvestment < STATS_THRESHOLD_WAN) {
      add(
        'statsRegistered',
        `计划总投资低于 ${STATS_THRESHOLD_WAN} 万元的项目不入库`,
        `projects below ${STATS_THRESHOLD_WAN} (10k yuan) are not registered`,
      );
    }
  } else if (i.statsRegistered !== undefined && i.statsRegistered !== false) {
    add('statsRegistered', 'statsRegistered 须为 true/false', 'statsRegistered must be a boolean');
  }

  if (i.land !== undefined) {
    const land = i.land as Record<string, unknown>;
    if (typeof land !== 'object' || land === null) {
      add('land', 'land 须为对象', 'land must be an object');
    } else {
      nonNegative('land', 'land.requiredMu', land.requiredMu, '征拆面积');
      const whole = (field: string, value: unknown, label: string) => {
        if (!Number.isInteger(value) || (value as number) < 0)
          add(field, `${label}须为非负整数(收到:${String(value)})`, `${field} must be a whole number ≥ 0`);
        else bounded('houses', field, value, label);
      };
      whole('land.houses', land.houses, '拆迁栋数');
      if (land.clearedMu !== undefined) nonNegative('land', 'land.clearedMu', land.clearedMu, '已清面积');
      if (land.demolished !== undefined) whole('land.demolished', land.demolished, '已拆栋数');
      const required = land.requiredMu as number;
      const houses = land.houses as number;
      if (isFiniteNumber(land.clearedMu) && isFiniteNumber(required) && land.clearedMu > required) {
        add(
          'land.clearedMu',
          `已清 ${land.clearedMu} 亩超过应清 ${required} 亩`,
          `cleared ${land.clearedMu} mu exceeds the required ${required}`,
        );
      }
      if (Number.isInteger(land.demolished) && Number.isInteger(houses) && (land.demolished as number) > houses) {
        add(
          'land.demolished',
          `已拆 ${String(land.demolished)} 栋超过应拆 ${houses} 栋`,
          `demolished ${String(land.demolished)} exceeds the ${houses} houses`,
        );
      }
      if (required === 0 && houses === 0)
        add('land', '无征拆任务时请省略 land', 'omit land when nothing is to be cleared');
    }
  }

  if (i.bond !== undefined) {
    const bond = i.bond as Record<string, unknown>;
    if (typeof bond !== 'object' || bond === null) {
      add('bond', 'bond 须为对象', 'bond must be an object');
    } else {
      if (!isFiniteNumber(bond.allocated) || roundQuantity(bond.allocated) <= 0) {
        add('bond.allocated', `专项债额度须大于 0(收到:${String(bond.allocated)})`, 'bond.allocated must be above 0');
      } else bounded('money', 'bond.allocated', bond.allocated, '专项债额度');
      if (bond.disbursed !== undefined) nonNegative('money', 'bond.disbursed', bond.disbursed, '已拨付金额');
      if (isFiniteNumber(bond.disbursed) && isFiniteNumber(bond.allocated) && bond.disbursed > bond.allocated) {
        add(
          'bond.disbursed',
          `已拨付 ${bond.disbursed} 万元超过额度 ${bond.allocated} 万元`,
          `disbursed ${bond.disbursed} exceeds the allocated ${bond.allocated}`,
        );
      }
    }
  }

  if (i.outputTarget !== undefined) {
    if (!isFiniteNumber(i.outputTarget) || roundQuantity(i.outputTarget) <= 0)
      add('outputTarget', '达产目标须大于 0', 'outputTarget must be above 0');
    else bounded('money', 'outputTarget', i.outputTarget, '达产目标');
  }
  const months = i.targetMonths as unknown;
  if (months !== undefined && (!Number.isInteger(months) || (months as number) < 1 || (months as number) > 12))
    add('targetMonths', '达产所需连续月数须为 1–12 的整数', 'targetMonths must be a whole number from 1 to 12');
  if (i.purpose !== undefined && i.purpose !== 'productive' && i.purpose !== 'public')
    add('purpose', '项目性质须为 productive(生产经营性)或 public(公益性)', 'purpose must be productive or public');
  if (i.purpose === 'public' && (stage === 'inProduction' || stage === 'atTarget'))
    add(
      'stage',
      '公益性项目竣工交付使用即完成,没有投产、达产阶段',
      'public works end at completion: no production stage',
    );
  if (i.purpose === 'public' && i.outputTarget !== undefined)
    add('outputTarget', '公益性项目没有达产目标', 'public works have no output target');
  if (i.contractAmount !== undefined) {
    if (!isFiniteNumber(i.contractAmount) || roundQuantity(i.contractAmount) <= 0)
      add('contractAmount', '签约金额须大于 0', 'contractAmount must be above 0');
    else bounded('money', 'contractAmount', i.contractAmount, '签约金额');
    if (stage === 'negotiating')
      add('contractAmount', '洽谈中的项目没有签约金额', 'a project still negotiating has no contract amount');
  }
  for (const key of ['asOf', 'since'] as const) {
    if (i[key] !== undefined && !isIsoDate(i[key]))
      add(key, `${key} 须为 YYYY-MM-DD 日期`, `${key} must be a YYYY-MM-DD date`);
  }
  if (isIsoDate(i.asOf) && isIsoDate(i.since) && i.since > i.asOf)
    add('since', 'since 不能晚于 asOf', 'since cannot be after asOf');
  if (i.enterprise !== undefined && typeof i.enterprise !== 'string')
    add('enterprise', 'enterprise 须为文字', 'enterprise must be a string');
  if (i.flags !== undefined && (typeof i.flags !== 'object' || i.flags === null))
    add('flags', 'flags 须为对象', 'flags must be an object');
  if (i.chain !== undefined) {
    const chain = i.chain as Record<string, unknown>;
    for (const key of ['countyLeader', 'unitHead', 'deputy', 'handler']) {
      if (typeof chain?.[key] !== 'string')
        add(`chain.${key}`, `责任链 ${key} 须为文字`, `chain.${key} must be a string`);
    }
  }
  return problems;
}

/** The state value a valid input places the project in. */
export function valueFromInput(input: ProjectInput): ProjectStateValue {
  const land = input.land;
  const bond = input.bond;
  const permits = input.permits ?? [];
  return {
    lifecycle: input.stage ?? 'negotiating',
    permits: PERMIT_KEYS.every((k) => permits.includes(k)) ? 'complete' : 'pending',
    land: land === undefined ? 'notRequired' : isLandCleared(land) ? 'cleared' : 'clearing',
    bond: bond === undefined ? 'none' : (bond.disbursed ?? 0) >= bond.allocated ? 'disbursed' : 'allocated',
    statistics: input.statsRegistered === true ? 'registered' : 'unregistered',
    support: 'normal',
  };
}

const DEFAULT_START: ProjectStateValue = {
  lifecycle: 'negotiating',
  permits: 'pending',
  land: 'notRequired',
  bond: 'none',
  statistics: 'unregistered',
  support: 'normal',
};

/**
 * The context of a project registered from `input`. Throws {@link ProjectInputError} for bad
 * input. With `atDefaultStart`, also refuses input that places the project beyond the
 * machine's initial states (use `initialProjectSnapshot` for that).
 */
export function contextFromInput(input: ProjectInput, options: { atDefaultStart?: boolean } = {}): ProjectContext {
  const problems = validateProjectInput(input);
  if (problems.length > 0) throw new ProjectInputError(problems);
  if (options.atDefaultStart === true && JSON.stringify(valueFromInput(input)) !== JSON.stringify(DEFAULT_START)) {
    throw new ProjectInputError([
      {
        field: 'stage',
        zh: '此输入使项目处于非初始状态,请用 initialProjectSnapshot(input) 创建',
        en: 'this input places the project beyond its initial states: create it with initialProjectSnapshot(input)',
      },
    ]);
  }
  const stage = input.stage ?? 'negotiating';
  const since = input.since ?? input.asOf ?? null;
  const reached = (s: Stage) => (stage === s ? since : null);
  const permits: PermitKey[] = PERMIT_KEYS.filter((k) => (input.permits ?? []).includes(k));
  const land = input.land;
  return {
    id: input.id,
    name: input.name.trim(),
    unitId: input.unitId,
    enterprise: input.enterprise ?? null,
    plannedInvestment: roundQuantity(input.plannedInvestment),
    stage,
    xiangshang: input.flags?.xiangshang === true,
    chain: input.chain ?? null,
    contractAmount: input.contractAmount === undefined ? null : roundQuantity(input.contractAmount),
    permits,
    greenChannel: null,
    land:
      land === undefined
        ? null
        : {
            requiredMu: roundQuantity(land.requiredMu),
            houses: roundQuantity(land.houses),
            clearedMu: roundQuantity(land.clearedMu ?? 0),
            demolished: roundQuantity(land.demolished ?? 0),
          },
    bond: {
      allocated: roundQuantity(input.bond?.allocated ?? 0),
      disbursed: roundQuantity(input.bond?.disbursed ?? 0),
    },
    outputTarget: input.outputTarget === undefined ? null : roundQuantity(input.outputTarget),
    // Only when they differ from the defaults: earlier records stay exactly as they were.
    ...(input.targetMonths === undefined || input.targetMonths === 1 ? {} : { targetMonths: input.targetMonths }),
    ...(input.purpose === 'public' ? { purpose: 'public' as const } : {}),
    ...(input.annualPlan === undefined || Object.keys(input.annualPlan).length === 0
      ? {}
      : {
          annualPlan: Object.fromEntries(
            Object.entries(input.annualPlan).map(([year, amount]) => [year, roundQuantity(amount)]),
          ),
        }),
    ...(input.programmeId === undefined ? {} : { programmeId: input.programmeId }),
    ...(input.capacity === undefined
      ? {}
      : { capacity: { value: roundQuantity(input.capacity.value), unit: input.capacity.unit.trim() } }),
    outputs: [],
    expert: null,
    dropReason: null,
    milestones: {
      signed: reached('signed'),
      started: reached('underConstruction'),
      completed: reached('completed'),
      production: reached('inProduction'),
      target: reached('atTarget'),
      dropped: null,
      registered: null,
      landCleared: null,
      bondDisbursed: null,
    },
    lastEventAt: input.asOf ?? input.since ?? null,
  };
}
