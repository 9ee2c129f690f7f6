import { assertEvent, assign, setup } from 'xstate';
import { investedSoFar } from './project-checks.ts';
import type { LifecycleState, ProjectContext, ProjectStateValue } from './project-types.ts';
import { STARTED_STAGES } from './project-types.ts';
import { addQuantity, formatQuantity as q, roundQuantity } from './quantity.ts';
import {
  datedInOrder,
  explainerFor,
  guardsFrom,
  ruleKit,
  type Bilingual,
  type Check as RuleCheck,
  type Rejection,
} from './rules.ts';
import { WEI_KEYS, weiKeys, type WeiKey } from './wei.ts';

/**
 * Programmes (项目群 / 打捆项目): many small sub-projects filed separately under one name — a
 * 300 MW distributed photovoltaic programme of sixty plants across three townships. The
 * programme declares its totals; everything else is rolled up from the sub-projects (which
 * carry `programmeId`), never typed in, and a declared total the sub-projects do not add up to
 * is reported, not refused.
 */

export const PROGRAMME_MACHINE_VERSION = 1;

export interface Capacity {
  value: number;
  /** e.g. MW, 万平方米, 吨/年. */
  unit: string;
}

export interface ProgrammeInput {
  id: string;
  name: string;
  enterprise?: string;
  /** Declared 计划总投资 of the whole programme, 万元. */
  plannedInvestment: number;
  capacity?: Capacity;
  /** Declared land, 亩. */
  landMu?: number;
  /** The responsible units (a programme may sit in several townships). */
  unitIds?: string[];
  /** The day it was registered. */
  registeredOn: string;
}

export interface ProgrammeContext extends ProgrammeInput {
  revisions: { at: string; reason: string; changed: string[] }[];
  lastEventAt: string | null;
}

export type ProgrammeEvent = {
  type: 'REVISE';
  at: string;
  reason: string;
  plannedInvestment?: number;
  capacity?: Capacity;
  landMu?: number;
  unitIds?: string[];
};

export const PROGRAMME_EVENT_LABELS: Record<ProgrammeEvent['type'], Bilingual> = {
  REVISE: { zh: '调整申报总量', en: 'revise the declared totals' },
};
export const PROGRAMME_STATE_LABELS: Record<string, Bilingual> = { active: { zh: '在册', en: 'registered' } };

type Check = RuleCheck<ProgrammeContext, ProgrammeEvent>;
const kit = ruleKit<ProgrammeContext, ProgrammeEvent>({ common: [datedInOrder] });
const reasonGiven: Check = (_c, e) =>
  typeof e.reason === 'string' && e.reason.trim() !== ''
    ? null
    : ({ rule: 'reasonMissing', zh: '调整须说明原因', en: 'a revision needs a reason' } satisfies Rejection);

export const programmeRules = { canRevise: kit.rule([], [reasonGiven]) };

export const programmeMachine = setup({
  types: { context: {} as ProgrammeContext, events: {} as ProgrammeEvent },
  guards: guardsFrom<ProgrammeContext, ProgrammeEvent, typeof programmeRules>(programmeRules),
  actions: {
    recordRevision: assign(({ context, event }) => {
      assertEvent(event, 'REVISE');
      const changed = (['plannedInvestment', 'capacity', 'landMu', 'unitIds'] as const).filter(
        (k) => event[k] !== undefined,
      );
      return {
        ...(event.plannedInvestment === undefined ? {} : { plannedInvestment: roundQuantity(event.plannedInvestment) }),
        ...(event.capacity === undefined ? {} : { capacity: event.capacity }),
        ...(event.landMu === undefined ? {} : { landMu: roundQuantity(event.landMu) }),
        ...(event.unitIds === undefined ? {} : { unitIds: event.unitIds }),
        revisions: [...context.revisions, { at: event.at, reason: event.reason.trim(), changed: [...changed] }],
        lastEventAt: event.at,
      };
    }),
  },
}).createMachine({
  id: 'programme',
  initial: 'active',
  context: ({ input }) => {
    const p = input as ProgrammeInput;
    return { ...p, revisions: [], lastEventAt: p.registeredOn };
  },
  states: { active: { on: { REVISE: { guard: 'canRevise', actions: 'recordRevision' } } } },
});

export const programmeExplainer = explainerFor<ProgrammeContext>(
  programmeMachine,
  programmeRules,
  { events: PROGRAMME_EVENT_LABELS, states: PROGRAMME_STATE_LABELS },
  [datedInOrder],
);

/** A sub-project as the roll-up reads it (its state and context, as stored). */
export interface SubProject {
  value: ProjectStateValue;
  context: ProjectContext;
}

/** What the sub-projects add up to, against what the programme declares. */
export interface ProgrammeRollup {
  subProjects: number;
  units: string[];
  byStage: Partial<Record<LifecycleState, number>>;
  /** Sub-projects in each 八未, and in any. */
  wei: Record<WeiKey, number> & { inAny: number };
  land: { requiredMu: number; clearedMu: number; declaredMu: number | null };
  investment: {
    declared: number;
    /** Σ planned of the sub-projects, and of those signed / started / completed (or beyond). */
    planned: number;
    signed: number;
    started: number;
    completed: number;
    /** Σ monthly 完成投资 reported. */
    invested: number;
  };
  capacity: { unit: string; declared: number | null; total: number; started: number; inProduction: number } | null;
  /** Declared totals the sub-projects do not add up to (reported, not refused). */
  discrepancies: (Bilingual & { field: string; declared: number; total: number })[];
}

const AT_OR_PAST: Record<'signed' | 'completed', readonly LifecycleState[]> = {
  signed: ['signed', ...STARTED_STAGES],
  completed: ['completed', 'inProduction', 'atTarget'],
};

/** The programme rolled up from its sub-projects (those carrying its id), computed, never typed in. */
export function programmeRollup(programme: ProgrammeContext, subs: readonly SubProject[]): ProgrammeRollup {
  const byStage: Partial<Record<LifecycleState, number>> = {};
  const wei = Object.fromEntries(WEI_KEYS.map((k) => [k, 0])) as Record<WeiKey, number>;
  let inAny = 0;
  const sum = (values: number[]) => values.reduce((acc, v) => addQuantity(acc, v), 0);
  const stageOf = (s: SubProject) => s.value.lifecycle;
  for (const s of subs) {
    byStage[stageOf(s)] = (byStage[stageOf(s)] ?? 0) + 1;
    const keys = weiKeys(s);
    if (keys.length > 0) inAny += 1;
    for (const k of keys) wei[k] += 1;
  }
  const planned = (filter: (s: SubProject) => boolean) =>
    sum(subs.filter(filter).map((s) => s.context.plannedInvestment));
  const capacityUnit =
    programme.capacity?.unit ?? subs.find((s) => s.context.capacity !== undefined)?.context.capacity?.unit;
  const capacityOf = (filter: (s: SubProject) => boolean) =>
    sum(
      subs.filter((s) => filter(s) && s.context.capacity?.unit === capacityUnit).map((s) => s.context.capacity!.value),
    );
  const rollup: ProgrammeRollup = {
    subProjects: subs.length,
    units: [...new Set(subs.map((s) => s.context.unitId))].sort(),
    byStage,
    wei: { ...wei, inAny },
    land: {
      requiredMu: sum(subs.map((s) => s.context.land?.requiredMu ?? 0)),
      clearedMu: sum(subs.map((s) => s.context.land?.clearedMu ?? 0)),
      declaredMu: programme.landMu ?? null,
    },
    investment: {
      declared: programme.plannedInvestment,
      planned: planned(() => true),
      signed: planned((s) => AT_OR_PAST.signed.includes(stageOf(s))),
      started: planned((s) => STARTED_STAGES.includes(stageOf(s))),
      completed: planned((s) => AT_OR_PAST.completed.includes(stageOf(s))),
      invested: sum(subs.map((s) => investedSoFar(s.context))),
    },
    capacity:
      capacityUnit === undefined
        ? null
        : {
            unit: capacityUnit,
            declared: programme.capacity?.value ?? null,
            total: capacityOf(() => true),
            started: capacityOf((s) => STARTED_STAGES.includes(stageOf(s))),
            inProduction: capacityOf((s) => stageOf(s) === 'inProduction' || stageOf(s) === 'atTarget'),
          },
    discrepancies: [],
  };
  const differs = (
    field: string,
    label: Bilingual,
    unit: string,
    declared: number | null | undefined,
    total: number,
  ) => {
    if (declared === null || declared === undefined || Math.abs(declared - total) < 1e-6) return;
    rollup.discrepancies.push({
      field,
      declared,
      total,
      zh: `申报${label.zh} ${q(declared)} ${unit},子项目合计 ${q(total)} ${unit}`,
      en: `declared ${label.en} ${q(declared)} ${unit}, the sub-projects add up to ${q(total)} ${unit}`,
    });
  };
  differs(
    'plannedInvestment',
    { zh: '计划总投资', en: 'planned investment' },
    '万元',
    programme.plannedInvestment,
    rollup.investment.planned,
  );
  differs('landMu', { zh: '用地', en: 'land' }, '亩', programme.landMu, rollup.land.requiredMu);
  if (rollup.capacity !== null)
    differs(
      'capacity',
      { zh: '规模', en: 'capacity' },
      rollup.capacity.unit,
      rollup.capacity.declared,
      rollup.capacity.total,
    );
  return rollup;
}
