import { isIsoMonth, monthOf } from './dates.ts';
import { PERMIT_LABELS, STATE_LABELS } from './labels.ts';
import {
  PERMIT_KEYS,
  STARTED_STAGES,
  isLandCleared,
  type PermitKey,
  type ProjectContext,
  type ProjectEvent,
} from './project-types.ts';
import { reject, type Check as RuleCheck, type Precondition as RulePrecondition, type Rejection } from './rules.ts';
import {
  addQuantity,
  formatQuantity as q,
  isFiniteNumber,
  quantityBoundProblem,
  roundQuantity,
  type QuantityKind,
} from './quantity.ts';

/**
 * The checks behind the project machine's guards. Each returns `null` when it passes, or the
 * rule it enforces with the numbers behind the refusal, in both languages. The machine's
 * guards are built from these (see `projectRules` in project.ts), and `explainRejection`
 * calls the very same functions, so a guard and its message cannot drift apart.
 */
export type Check = RuleCheck<ProjectContext, ProjectEvent>;

/** A check that reads only the project, not the event's payload. */
export type Precondition = RulePrecondition<ProjectContext>;

/** Projects of at least this planned investment (万元) must be registered in statistics (入库纳统). */
export const STATS_THRESHOLD_WAN = 500;

/** Payload fields read loosely: a malformed event must be refused, never crash a guard. */
function field(event: ProjectEvent, name: string): unknown {
  return (event as unknown as Record<string, unknown>)[name];
}

/** A quantity above the bound of its kind (money, land, houses) is refused, naming the bound. */
function withinBound(kind: QuantityKind, name: string, label: string, value: unknown): Rejection | null {
  if (!isFiniteNumber(value)) return null;
  const problem = quantityBoundProblem(kind, name, label, value);
  return problem === null ? null : reject('quantityBound', problem.zh, problem.en);
}

// ── common to every event ───────────────────────────────────────────────────────────────

export const notDropped: Precondition = (c) =>
  c.stage === 'dropped'
    ? reject(
        'projectDropped',
        `项目已终止${c.milestones.dropped ? `(${c.milestones.dropped})` : ''}:${c.dropReason ?? ''}`,
        `the project was dropped${c.milestones.dropped ? ` on ${c.milestones.dropped}` : ''}: ${c.dropReason ?? ''}`,
      )
    : null;

// ── SIGN ────────────────────────────────────────────────────────────────────────────────

export const contractAmountPositive: Check = (_c, e) => {
  const amount = field(e, 'contractAmount');
  return isFiniteNumber(amount) && roundQuantity(amount) > 0
    ? withinBound('money', 'contractAmount', '签约金额', amount)
    : reject(
        'contractAmount',
        `签约金额须大于 0 万元(收到:${String(amount)})`,
        `the contract amount must be above 0 (got ${String(amount)})`,
      );
};

// ── permits ─────────────────────────────────────────────────────────────────────────────

export const permitKnown: Check = (_c, e) => {
  const permit = field(e, 'permit');
  return typeof permit === 'string' && (PERMIT_KEYS as readonly string[]).includes(permit)
    ? null
    : reject(
        'unknownPermit',
        `未知证件「${String(permit)}」,应为:${PERMIT_KEYS.map((k) => `${k}(${PERMIT_LABELS[k].zh})`).join('、')}`,
        `unknown permit "${String(permit)}", expected one of ${PERMIT_KEYS.join(', ')}`,
      );
};

export const permitNotGranted: Check = (c, e) => {
  const permit = field(e, 'permit') as PermitKey;
  return c.permits.includes(permit)
    ? reject(
        'permitAlreadyGranted',
        `${PERMIT_LABELS[permit].zh}已办理,不能重复办证`,
        `the ${PERMIT_LABELS[permit].en} was already granted`,
      )
    : null;
};

/**
 * Outside the green channel the certificates come in their statutory order: 用地规划许可 →
 * 不动产权证 → 工程规划许可 → 施工许可. The green channel (绿色通道, 并联审批) lifts the order.
 */
export const permitInOrder: Check = (c, e) => {
  if (c.greenChannel !== null) return null;
  const permit = field(e, 'permit') as PermitKey;
  const missing = PERMIT_KEYS.slice(0, PERMIT_KEYS.indexOf(permit)).filter((k) => !c.permits.includes(k));
  return missing.length === 0
    ? null
    : reject(
        'permitOrder',
        `未开通绿色通道,办理${PERMIT_LABELS[permit].zh}须先取得:${missing.map((k) => PERMIT_LABELS[k].zh).join('、')}`,
        `without the green channel, the ${PERMIT_LABELS[permit].en} needs first: ` +
          `${missing.map((k) => PERMIT_LABELS[k].en).join(', ')}`,
      );
};

export const greenChannelClosed: Precondition = (c) =>
  c.greenChannel === null
    ? null
    : reject(
        'greenChannelOpen',
        `已于 ${c.greenChannel} 开通绿色通道`,
        `the green channel has been open since ${c.greenChannel}`,
      );

export const permitsComplete: Precondition = (c) => {
  const missing = PERMIT_KEYS.filter((k) => !c.permits.includes(k));
  return missing.length === 0
    ? null
    : reject(
        'permitsIncomplete',
        `四证未齐:已办 ${4 - missing.length}/4,缺${missing.map((k) => PERMIT_LABELS[k].zh).join('、')}`,
        `permits incomplete: ${4 - missing.length}/4 granted, missing ` +
          `${missing.map((k) => PERMIT_LABELS[k].en).join(', ')}`,
      );
};

// ── land ────────────────────────────────────────────────────────────────────────────────

export const clearanceAmountsValid: Check = (_c, e) => {
  const mu = field(e, 'mu');
  const houses = field(e, 'houses');
  const tooMuch =
    withinBound('land', 'mu', '本次征拆面积', mu) ?? withinBound('houses', 'houses', '本次拆迁栋数', houses);
  if (tooMuch !== null) return tooMuch;
  if (
    !isFiniteNumber(mu) ||
    mu < 0 ||
    !Number.isInteger(houses) ||
    (houses as number) < 0 ||
    (roundQuantity(mu) === 0 && houses === 0)
  ) {
    return reject(
      'clearanceAmounts',
      `征拆进度须为正数:亩数 ≥ 0、栋数为非负整数且不全为 0(收到:${String(mu)} 亩,${String(houses)} 栋)`,
      `clearance must be positive: mu ≥ 0, houses a whole number ≥ 0, not both 0 (got ${String(mu)} mu, ` +
        `${String(houses)} houses)`,
    );
  }
  return null;
};

export const clearanceWithinRequired: Check = (c, e) => {
  const land = c.land;
  if (land === null) return null;
  const mu = field(e, 'mu') as number;
  const houses = field(e, 'houses') as number;
  const muAfter = addQuantity(land.clearedMu, mu);
  const housesAfter = land.demolished + houses;
  if (muAfter > land.requiredMu) {
    return reject(
      'clearanceExceedsRequired',
      `征拆超出任务:已清 ${q(land.clearedMu)}/${q(land.requiredMu)} 亩,本次 ${q(mu)} 亩,超出 ${q(muAfter - land.requiredMu)} 亩`,
      `clearance exceeds the task: ${q(land.clearedMu)}/${q(land.requiredMu)} mu cleared, ${q(mu)} reported, ` +
        `${q(muAfter - land.requiredMu)} too many`,
    );
  }
  if (housesAfter > land.houses) {
    return reject(
      'demolitionExceedsRequired',
      `拆迁超出任务:已拆 ${land.demolished}/${land.houses} 栋,本次 ${houses} 栋,超出 ${housesAfter - land.houses} 栋`,
      `demolition exceeds the task: ${land.demolished}/${land.houses} houses demolished, ${houses} reported, ` +
        `${housesAfter - land.houses} too many`,
    );
  }
  return null;
};

export const landReady: Precondition = (c) => {
  const land = c.land;
  if (land === null || isLandCleared(land)) return null;
  return reject(
    'landUncleared',
    `征拆未清零:已清 ${q(land.clearedMu)}/${q(land.requiredMu)} 亩,已拆 ${land.demolished}/${land.houses} 栋`,
    `land not cleared: ${q(land.clearedMu)}/${q(land.requiredMu)} mu cleared, ${land.demolished}/${land.houses} ` +
      `houses demolished`,
  );
};

// ── statistics ──────────────────────────────────────────────────────────────────────────

export const startedOrLater: Precondition = (c) =>
  STARTED_STAGES.includes(c.stage)
    ? null
    : reject(
        'notStarted',
        `项目未开工(当前:${STATE_LABELS.lifecycle[c.stage].zh}),开工后方可入库纳统`,
        `the project has not started construction (now: ${STATE_LABELS.lifecycle[c.stage].en}); it can be ` +
          `registered once started`,
      );

export const investmentMeetsStatsThreshold: Precondition = (c) =>
  c.plannedInvestment >= STATS_THRESHOLD_WAN
    ? null
    : reject(
        'belowStatsThreshold',
        `计划总投资 ${q(c.plannedInvestment)} 万元,低于入库标准 ${STATS_THRESHOLD_WAN} 万元`,
        `planned investment ${q(c.plannedInvestment)} (10k yuan) is below the registration threshold of ` +
          `${STATS_THRESHOLD_WAN}`,
      );

// ── output and the help pool ───────────────────────────────────────────────────────────

/** The best monthly output reported so far (万元), or null. */
export function bestOutput(c: ProjectContext): number | null {
  return c.outputs.length === 0 ? null : Math.max(...c.outputs.map((o) => o.output));
}

/**
 * 达产: `targetMonths` consecutive calendar months (default 1) each at or above the target —
 * one month at target by default, as the county counts it unless it decides otherwise.
 */
export function outputAtTarget(c: ProjectContext): boolean {
  const target = c.outputTarget;
  if (target === null) return false;
  const months = [...new Set(c.outputs.filter((o) => o.output >= target).map((o) => o.month))].sort();
  const need = c.targetMonths ?? 1;
  let run = 0;
  for (const [i, month] of months.entries()) {
    run = i > 0 && nextMonth(months[i - 1]!) === month ? run + 1 : 1;
    if (run >= need) return true;
  }
  return false;
}

const nextMonth = (month: string) => {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Public works (公益性) end at completion — handed over for use (交付使用): no production. */
export const productive: Precondition = (c) =>
  c.purpose === 'public'
    ? reject(
        'publicWorks',
        '公益性项目竣工交付使用即完成,没有投产、达产环节',
        'public works end at completion (handed over for use): no production, no output target',
      )
    : null;

/** A designed monthly output (the 达产 target): above 0 and within the money bound. */
export const outputTargetValid: Check = (_c, e) => {
  const target = field(e, 'outputTarget');
  if (!isFiniteNumber(target) || roundQuantity(target) <= 0)
    return reject(
      'outputTargetInvalid',
      `达产目标须大于 0(收到:${String(target)})`,
      `the output target must be above 0`,
    );
  return withinBound('money', 'outputTarget', '达产目标', target);
};

export const outputTargetSet: Precondition = (c) =>
  c.outputTarget !== null
    ? null
    : reject(
        'outputTargetMissing',
        '项目未设定达产目标(月产值),无法报送产值',
        'the project has no output target (monthly output value)',
      );

export const outputReportValid: Check = (c, e) => {
  const month = field(e, 'month');
  const output = field(e, 'output');
  if (!isIsoMonth(month)) {
    return reject(
      'outputMonth',
      `产值月份无效:「${String(month)}」,应为 YYYY-MM`,
      `invalid output month "${String(month)}", expected YYYY-MM`,
    );
  }
  if (!isFiniteNumber(output) || output < 0) {
    return reject(
      'outputValue',
      `月产值须为非负数(收到:${String(output)})`,
      `monthly output must be a number ≥ 0 (got ${String(output)})`,
    );
  }
  const tooMuch = withinBound('money', 'output', '月产值', output);
  if (tooMuch !== null) return tooMuch;
  const at = field(e, 'at') as string;
  if (month > monthOf(at)) {
    return reject(
      'outputMonthFuture',
      `不能报送未来月份 ${month} 的产值(报送日期 ${at})`,
      `cannot report output for ${month} on ${at}`,
    );
  }
  if (c.outputs.some((o) => o.month === month)) {
    return reject('outputMonthReported', `${month} 的产值已报送`, `output for ${month} was already reported`);
  }
  return null;
};

export const inProduction: Precondition = (c) =>
  c.stage === 'inProduction'
    ? null
    : reject(
        'notInProduction',
        `只有已投产未达产的项目可纳入帮扶培育库(当前:${STATE_LABELS.lifecycle[c.stage].zh})`,
        `only projects in production and below target can enter the help pool (now: ` +
          `${STATE_LABELS.lifecycle[c.stage].en})`,
      );

export const belowTarget: Precondition = (c) => {
  const best = bestOutput(c);
  return outputAtTarget(c) && best !== null && c.outputTarget !== null
    ? reject(
        'atTarget',
        `已达产:月产值 ${q(best)}/${q(c.outputTarget)} 万元`,
        `already at target: ${q(best)}/${q(c.outputTarget)} monthly output`,
      )
    : null;
};

export const expertNamed: Check = (_c, e) => {
  const expert = field(e, 'expert');
  return typeof expert === 'string' && expert.trim().length > 0
    ? null
    : reject('expertMissing', '纳入帮扶培育库须指定帮扶专家', 'entering the help pool needs a named expert');
};

// ── bond ────────────────────────────────────────────────────────────────────────────────

export const amountPositive: Check = (_c, e) => {
  const amount = field(e, 'amount');
  return isFiniteNumber(amount) && roundQuantity(amount) > 0
    ? withinBound('money', 'amount', '金额', amount)
    : reject(
        'bondAmount',
        `金额须大于 0 万元(收到:${String(amount)})`,
        `the amount must be above 0 (got ${String(amount)})`,
      );
};

/** The total allocated stays within the money bound. */
export const allocationWithinBound: Check = (c, e) =>
  withinBound(
    'money',
    'bond.allocated',
    '专项债累计下达额度',
    addQuantity(c.bond.allocated, field(e, 'amount') as number),
  );

export const disbursementWithinAllocation: Check = (c, e) => {
  const amount = field(e, 'amount') as number;
  const open = addQuantity(c.bond.allocated, -c.bond.disbursed);
  return amount <= open
    ? null
    : reject(
        'disbursementExceedsAllocation',
        `拨付超出额度:已下达 ${q(c.bond.allocated)} 万元,已拨付 ${q(c.bond.disbursed)} 万元,可拨 ${q(open)} 万元,本次 ${q(amount)} 万元`,
        `disbursement exceeds the allocation: ${q(c.bond.allocated)} allocated, ${q(c.bond.disbursed)} disbursed, ` +
          `${q(open)} open, ${q(amount)} requested`,
      );
};

// ── DROP ────────────────────────────────────────────────────────────────────────────────

export const reasonGiven: Check = (_c, e) => {
  const reason = field(e, 'reason');
  return typeof reason === 'string' && reason.trim().length > 0
    ? null
    : reject('reasonMissing', '终止项目须说明原因', 'dropping a project needs a reason');
};

// ── investment (完成投资, 形象进度, 调整计划) ───────────────────────────────────────────────

/** Investment and progress are reported from the start of construction on. */
export const investmentStarted: Precondition = (c) =>
  STARTED_STAGES.includes(c.stage)
    ? null
    : reject(
        'notStarted',
        `项目尚未开工(当前:${STATE_LABELS.lifecycle[c.stage].zh}),开工后才报送完成投资和形象进度`,
        `the project has not started (now: ${STATE_LABELS.lifecycle[c.stage].en}); investment and progress are ` +
          'reported from the start of construction',
      );

/** A reported month: YYYY-MM, not after the report's date, not before the project started. */
function reportedMonth(c: ProjectContext, e: ProjectEvent, what: { zh: string; en: string }): Rejection | null {
  const month = field(e, 'month');
  const at = field(e, 'at') as string;
  if (!isIsoMonth(month))
    return reject(
      'reportMonth',
      `${what.zh}月份无效:「${String(month)}」,应为 YYYY-MM`,
      `invalid month "${String(month)}"`,
    );
  if (month > monthOf(at))
    return reject(
      'reportMonthFuture',
      `不能在 ${at} 报送未来月份 ${month} 的${what.zh}`,
      `cannot report ${what.en} for ${month} on ${at}`,
    );
  const started = c.milestones.started;
  if (started !== null && month < monthOf(started))
    return reject(
      'reportMonthBeforeStart',
      `${month} 早于开工月份 ${monthOf(started)}`,
      `${month} is before the month construction started, ${monthOf(started)}`,
    );
  return null;
}

/** One investment report per month, above 0, the cumulative within the planned total. */
export const investmentReportValid: Check = (c, e) => {
  const month = reportedMonth(c, e, { zh: '完成投资', en: 'investment' });
  if (month !== null) return month;
  const amount = field(e, 'amount');
  if (!isFiniteNumber(amount) || roundQuantity(amount) <= 0)
    return reject(
      'investmentAmount',
      `完成投资须大于 0 万元(收到:${String(amount)})`,
      `the investment must be above 0 (got ${String(amount)})`,
    );
  const tooMuch = withinBound('money', 'amount', '完成投资', amount);
  if (tooMuch !== null) return tooMuch;
  const reported = c.investments ?? [];
  if (reported.some((r) => r.month === field(e, 'month')))
    return reject(
      'investmentMonthReported',
      `${String(field(e, 'month'))} 的完成投资已报送;报错了请更正该条记录`,
      `the investment for ${String(field(e, 'month'))} was already reported; correct that entry instead`,
    );
  const done = reported.reduce((sum, r) => addQuantity(sum, r.amount), 0);
  const total = addQuantity(done, amount);
  return total <= c.plannedInvestment
    ? null
    : reject(
        'investmentExceedsPlan',
        `累计完成投资将达 ${q(total)} 万元,超过计划总投资 ${q(c.plannedInvestment)} 万元(已完成 ${q(done)},本次 ${q(amount)});` +
          '确需超出请先调整计划总投资',
        `cumulative investment would be ${q(total)}, above the planned total ${q(c.plannedInvestment)} ` +
          `(${q(done)} done, ${q(amount)} now); revise the plan first if it really is more`,
      );
};

/** One progress report per month, 0–100 %, never below the last one. */
export const progressReportValid: Check = (c, e) => {
  const month = reportedMonth(c, e, { zh: '形象进度', en: 'progress' });
  if (month !== null) return month;
  const percent = field(e, 'percent');
  if (!isFiniteNumber(percent) || percent < 0 || percent > 100)
    return reject('progressPercent', `形象进度须在 0–100% 之间(收到:${String(percent)})`, `progress must be 0–100 %`);
  const reported = c.progress ?? [];
  if (reported.some((r) => r.month === field(e, 'month')))
    return reject(
      'progressMonthReported',
      `${String(field(e, 'month'))} 的形象进度已报送`,
      `the progress for ${String(field(e, 'month'))} was already reported`,
    );
  const last = reported.at(-1);
  return last !== undefined && percent < last.percent
    ? reject(
        'progressBackwards',
        `形象进度 ${percent}% 低于 ${last.month} 报送的 ${last.percent}%`,
        `progress ${percent} % is below the ${last.percent} % reported for ${last.month}`,
      )
    : null;
};

/** A revised planned total: above 0, within the bound, not below what is already invested; with a reason. */
export const planRevisionValid: Check = (c, e) => {
  const planned = field(e, 'plannedInvestment');
  if (!isFiniteNumber(planned) || roundQuantity(planned) <= 0)
    return reject(
      'plannedInvestment',
      `计划总投资须大于 0 万元(收到:${String(planned)})`,
      `the planned total must be above 0 (got ${String(planned)})`,
    );
  const tooMuch = withinBound('money', 'plannedInvestment', '计划总投资', planned);
  if (tooMuch !== null) return tooMuch;
  const done = (c.investments ?? []).reduce((sum, r) => addQuantity(sum, r.amount), 0);
  if (planned < done)
    return reject(
      'planBelowInvested',
      `调整后的计划总投资 ${q(planned)} 万元低于已完成投资 ${q(done)} 万元`,
      `the revised plan ${q(planned)} is below the ${q(done)} already invested`,
    );
  const reason = field(e, 'reason');
  return typeof reason === 'string' && reason.trim() !== ''
    ? null
    : reject('reasonMissing', '调整计划总投资须说明原因', 'revising the plan needs a reason');
};

/** What is invested so far (万元), from the monthly reports. */
export function investedSoFar(c: Pick<ProjectContext, 'investments'>): number {
  return (c.investments ?? []).reduce((sum, r) => addQuantity(sum, r.amount), 0);
}
