import { assertEvent, assign, setup } from 'xstate';
import {
  allocationWithinBound,
  amountPositive,
  belowTarget,
  clearanceAmountsValid,
  clearanceWithinRequired,
  contractAmountPositive,
  disbursementWithinAllocation,
  expertNamed,
  greenChannelClosed,
  inProduction,
  investmentMeetsStatsThreshold,
  landReady,
  notDropped,
  outputAtTarget,
  outputReportValid,
  outputTargetSet,
  permitInOrder,
  permitKnown,
  permitNotGranted,
  permitsComplete,
  productive,
  outputTargetValid,
  reasonGiven,
  startedOrLater,
  investmentStarted,
  investmentReportValid,
  progressReportValid,
  planRevisionValid,
} from './project-checks.ts';
import { contextFromInput } from './project-input.ts';
import {
  PERMIT_KEYS,
  isLandCleared,
  type ProjectContext,
  type ProjectEvent,
  type ProjectInput,
} from './project-types.ts';
import { addQuantity, roundQuantity } from './quantity.ts';
import { datedInOrder, guardsFrom, ruleKit, type Rule } from './rules.ts';

/**
 * Version of the project machine carried by every persisted snapshot. Bump it when a state is
 * renamed or removed or the context changes shape, and register a migration in the store.
 */
export const PROJECT_MACHINE_VERSION = 1;

/**
 * Every project rule starts with two common checks: nothing happens to a dropped project, and
 * time never runs backwards. "Not dropped" is also a precondition shown before sending.
 */
const kit = ruleKit<ProjectContext, ProjectEvent>({
  common: [notDropped, datedInOrder],
  commonPreconditions: [notDropped],
});
const rule = kit.rule;

/**
 * The rules: one per event transition (the first failing check is the reason given). Besides
 * these, an event is refused when the project is not in a state that handles it (see the
 * statechart below).
 */
export const projectRules = {
  canSign: rule([], [contractAmountPositive]),
  canGrantPermit: rule([], [permitKnown, permitNotGranted, permitInOrder]),
  canOpenGreenChannel: rule([greenChannelClosed]),
  canReportClearance: rule([], [clearanceAmountsValid, clearanceWithinRequired]),
  canStartConstruction: rule([landReady, permitsComplete]),
  canRegisterStats: rule([startedOrLater, investmentMeetsStatsThreshold]),
  canComplete: rule([]),
  canStartProduction: rule([productive]),
  canSetOutputTarget: rule([productive], [outputTargetValid]),
  canReportOutput: rule([outputTargetSet], [outputReportValid]),
  canAllocateBond: rule([], [amountPositive, allocationWithinBound]),
  canDisburseBond: rule([], [amountPositive, disbursementWithinAllocation]),
  canEnterHelpPool: rule([inProduction, belowTarget], [expertNamed]),
  canDrop: rule([], [reasonGiven]),
  canReportInvestment: rule([investmentStarted], [investmentReportValid]),
  canReportProgress: rule([investmentStarted], [progressReportValid]),
  canRevisePlan: rule([], [planRevisionValid]),
} satisfies Record<string, Rule<ProjectContext, ProjectEvent>>;

export type ProjectRuleName = keyof typeof projectRules;

/**
 * The project statechart (README: The project statechart): six parallel regions. Events are handled by exactly
 * one region each; `always` transitions are consequences (land cleared, bond fully disbursed,
 * 达产), never rules.
 *
 * Place a new project with {@link initialProjectSnapshot} (any stage); `createActor(projectMachine,
 * { input })` only accepts input at the default start (洽谈, nothing granted).
 *
 * @example
 * const actor = createActor(projectMachine, { snapshot: initialProjectSnapshot(input) }).start();
 * actor.send({ type: 'SIGN', contractAmount: 12000, at: '2022-08-02' });
 */
export const projectMachine = setup({
  types: {
    context: {} as ProjectContext,
    events: {} as ProjectEvent,
    // No declared input type: XState would then demand `input` even when restoring a snapshot.
    // Input is validated at run time by contextFromInput.
  },
  guards: {
    ...guardsFrom<ProjectContext, ProjectEvent, typeof projectRules>(projectRules),
    allPermitsGranted: ({ context }) => PERMIT_KEYS.every((k) => context.permits.includes(k)),
    landFullyCleared: ({ context }) => context.land !== null && isLandCleared(context.land),
    bondFullyDisbursed: ({ context }) => context.bond.disbursed >= context.bond.allocated,
    outputAtTarget: ({ context }) => outputAtTarget(context),
  },
  actions: {
    recordSignature: assign(({ context, event }) => {
      assertEvent(event, 'SIGN');
      return {
        stage: 'signed' as const,
        contractAmount: roundQuantity(event.contractAmount),
        milestones: { ...context.milestones, signed: event.at },
        lastEventAt: event.at,
      };
    }),
    recordDrop: assign(({ context, event }) => {
      assertEvent(event, 'DROP');
      return {
        stage: 'dropped' as const,
        dropReason: event.reason.trim(),
        milestones: { ...context.milestones, dropped: event.at },
        lastEventAt: event.at,
      };
    }),
    recordStart: assign(({ context, event }) => {
      assertEvent(event, 'START_CONSTRUCTION');
      return {
        stage: 'underConstruction' as const,
        milestones: { ...context.milestones, started: event.at },
        lastEventAt: event.at,
      };
    }),
    recordCompletion: assign(({ context, event }) => {
      assertEvent(event, 'COMPLETE');
      return {
        stage: 'completed' as const,
        milestones: { ...context.milestones, completed: event.at },
        lastEventAt: event.at,
      };
    }),
    recordProductionStart: assign(({ context, event }) => {
      assertEvent(event, 'START_PRODUCTION');
      return {
        stage: 'inProduction' as const,
        milestones: { ...context.milestones, production: event.at },
        lastEventAt: event.at,
      };
    }),
    recordOutput: assign(({ context, event }) => {
      assertEvent(event, 'REPORT_OUTPUT');
      return {
        outputs: [...context.outputs, { month: event.month, output: roundQuantity(event.output) }],
        lastEventAt: event.at,
      };
    }),
    recordOutputTarget: assign(({ event }) => {
      assertEvent(event, 'SET_OUTPUT_TARGET');
      return { outputTarget: roundQuantity(event.outputTarget), lastEventAt: event.at };
    }),
    recordTargetReached: assign(({ context }) => ({
      stage: 'atTarget' as const,
      milestones: { ...context.milestones, target: context.lastEventAt },
    })),
    recordPermit: assign(({ context, event }) => {
      assertEvent(event, 'GRANT_PERMIT');
      return { permits: [...context.permits, event.permit], lastEventAt: event.at };
    }),
    openGreenChannel: assign(({ event }) => {
      assertEvent(event, 'GREEN_CHANNEL');
      return { greenChannel: event.at, lastEventAt: event.at };
    }),
    recordClearance: assign(({ context, event }) => {
      assertEvent(event, 'REPORT_CLEARANCE');
      const land = context.land!;
      return {
        land: {
          ...land,
          clearedMu: addQuantity(land.clearedMu, event.mu),
          demolished: roundQuantity(land.demolished + event.houses),
        },
        lastEventAt: event.at,
      };
    }),
    markLandCleared: assign(({ context }) => ({
      milestones: { ...context.milestones, landCleared: context.lastEventAt },
    })),
    recordAllocation: assign(({ context, event }) => {
      assertEvent(event, 'ALLOCATE_BOND');
      return {
        bond: { ...context.bond, allocated: addQuantity(context.bond.allocated, event.amount) },
        lastEventAt: event.at,
      };
    }),
    recordDisbursement: assign(({ context, event }) => {
      assertEvent(event, 'DISBURSE_BOND');
      return {
        bond: { ...context.bond, disbursed: addQuantity(context.bond.disbursed, event.amount) },
        lastEventAt: event.at,
      };
    }),
    markBondDisbursed: assign(({ context }) => ({
      milestones: { ...context.milestones, bondDisbursed: context.lastEventAt },
    })),
    recordRegistration: assign(({ context, event }) => {
      assertEvent(event, 'REGISTER_STATS');
      return { milestones: { ...context.milestones, registered: event.at }, lastEventAt: event.at };
    }),
    recordInvestment: assign(({ context, event }) => {
      assertEvent(event, 'REPORT_INVESTMENT');
      return {
        investments: [...(context.investments ?? []), { month: event.month, amount: roundQuantity(event.amount) }],
        lastEventAt: event.at,
      };
    }),
    recordProgress: assign(({ context, event }) => {
      assertEvent(event, 'REPORT_PROGRESS');
      return {
        progress: [
          ...(context.progress ?? []),
          { month: event.month, percent: roundQuantity(event.percent), note: String(event.note ?? '').trim() },
        ],
        lastEventAt: event.at,
      };
    }),
    recordPlanRevision: assign(({ context, event }) => {
      assertEvent(event, 'REVISE_PLAN');
      const to = roundQuantity(event.plannedInvestment);
      return {
        plannedInvestment: to,
        planRevisions: [
          ...(context.planRevisions ?? []),
          { at: event.at, from: context.plannedInvestment, to, reason: event.reason.trim() },
        ],
        lastEventAt: event.at,
      };
    }),
    assignExpert: assign(({ event }) => {
      assertEvent(event, 'ENTER_HELP_POOL');
      return { expert: event.expert.trim(), lastEventAt: event.at };
    }),
  },
}).createMachine({
  id: 'project',
  type: 'parallel',
  context: ({ input }) => contextFromInput(input as ProjectInput, { atDefaultStart: true }),
  states: {
    lifecycle: {
      initial: 'negotiating',
      states: {
        negotiating: {
          on: {
            SIGN: { target: 'signed', guard: 'canSign', actions: 'recordSignature' },
            DROP: { target: 'dropped', guard: 'canDrop', actions: 'recordDrop' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
        },
        signed: {
          on: {
            START_CONSTRUCTION: { target: 'underConstruction', guard: 'canStartConstruction', actions: 'recordStart' },
            DROP: { target: 'dropped', guard: 'canDrop', actions: 'recordDrop' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
        },
        underConstruction: {
          on: {
            COMPLETE: { target: 'completed', guard: 'canComplete', actions: 'recordCompletion' },
            SET_OUTPUT_TARGET: { guard: 'canSetOutputTarget', actions: 'recordOutputTarget' },
            REPORT_INVESTMENT: { guard: 'canReportInvestment', actions: 'recordInvestment' },
            REPORT_PROGRESS: { guard: 'canReportProgress', actions: 'recordProgress' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
        },
        completed: {
          on: {
            START_PRODUCTION: { target: 'inProduction', guard: 'canStartProduction', actions: 'recordProductionStart' },
            SET_OUTPUT_TARGET: { guard: 'canSetOutputTarget', actions: 'recordOutputTarget' },
            REPORT_INVESTMENT: { guard: 'canReportInvestment', actions: 'recordInvestment' },
            REPORT_PROGRESS: { guard: 'canReportProgress', actions: 'recordProgress' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
        },
        inProduction: {
          on: {
            REPORT_OUTPUT: { guard: 'canReportOutput', actions: 'recordOutput' },
            // A project in production without its designed output can be given it: 达产 becomes reachable.
            SET_OUTPUT_TARGET: { guard: 'canSetOutputTarget', actions: 'recordOutputTarget' },
            REPORT_INVESTMENT: { guard: 'canReportInvestment', actions: 'recordInvestment' },
            REPORT_PROGRESS: { guard: 'canReportProgress', actions: 'recordProgress' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
          always: { target: 'atTarget', guard: 'outputAtTarget', actions: 'recordTargetReached' },
        },
        atTarget: {
          on: {
            REPORT_OUTPUT: { guard: 'canReportOutput', actions: 'recordOutput' },
            REPORT_INVESTMENT: { guard: 'canReportInvestment', actions: 'recordInvestment' },
            REPORT_PROGRESS: { guard: 'canReportProgress', actions: 'recordProgress' },
            REVISE_PLAN: { guard: 'canRevisePlan', actions: 'recordPlanRevision' },
          },
        },
        dropped: { type: 'final' },
      },
    },
    permits: {
      initial: 'pending',
      states: {
        pending: {
          on: {
            GRANT_PERMIT: { guard: 'canGrantPermit', actions: 'recordPermit' },
            GREEN_CHANNEL: { guard: 'canOpenGreenChannel', actions: 'openGreenChannel' },
          },
          always: { target: 'complete', guard: 'allPermitsGranted' },
        },
        complete: {},
      },
    },
    land: {
      initial: 'notRequired',
      states: {
        notRequired: {},
        clearing: {
          on: { REPORT_CLEARANCE: { guard: 'canReportClearance', actions: 'recordClearance' } },
          always: { target: 'cleared', guard: 'landFullyCleared', actions: 'markLandCleared' },
        },
        cleared: {},
      },
    },
    bond: {
      initial: 'none',
      states: {
        none: {
          on: { ALLOCATE_BOND: { target: 'allocated', guard: 'canAllocateBond', actions: 'recordAllocation' } },
        },
        allocated: {
          on: {
            ALLOCATE_BOND: { guard: 'canAllocateBond', actions: 'recordAllocation' },
            DISBURSE_BOND: { guard: 'canDisburseBond', actions: 'recordDisbursement' },
          },
          always: { target: 'disbursed', guard: 'bondFullyDisbursed', actions: 'markBondDisbursed' },
        },
        disbursed: {
          on: { ALLOCATE_BOND: { target: 'allocated', guard: 'canAllocateBond', actions: 'recordAllocation' } },
        },
      },
    },
    statistics: {
      initial: 'unregistered',
      states: {
        unregistered: {
          on: { REGISTER_STATS: { target: 'registered', guard: 'canRegisterStats', actions: 'recordRegistration' } },
        },
        registered: {},
      },
    },
    support: {
      initial: 'normal',
      states: {
        normal: {
          on: { ENTER_HELP_POOL: { target: 'helpPool', guard: 'canEnterHelpPool', actions: 'assignExpert' } },
        },
        helpPool: {
          always: { target: 'normal', guard: 'outputAtTarget' },
        },
      },
    },
  },
});

export type ProjectMachine = typeof projectMachine;
