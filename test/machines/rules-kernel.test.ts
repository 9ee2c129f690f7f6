import { createActor, type AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS, KINDS, type KindName } from '../../engine/index.ts';
import { initialProjectSnapshot } from '../../machines/index.ts';
import { ALL_PERMITS, projectInput } from './fixtures.ts';

// Code-health issue, item 3: one rule kernel for every machine, so for every machine the
// explainer and the machine agree — `explain(s, e) === null` ⇔ `s.can(e)` — on every state
// reachable with a set of events that includes refusals of every kind (wrong state, bad date,
// bad payload).

const campaign = {
  id: 'c',
  name: '百日攻坚',
  start: '2022-08-01',
  days: 40,
  units: [{ id: 'u1', name: '一号镇', group: 'township' as const }],
  targets: {},
};

/** Per kind: where to start, and the events to try from every reachable state. */
const MODELS: Record<
  KindName,
  { start: () => AnyMachineSnapshot; events: (s: AnyMachineSnapshot) => { type: string }[] }
> = {
  project: {
    start: () =>
      initialProjectSnapshot(
        projectInput({
          land: { requiredMu: 10, houses: 1 },
          bond: { allocated: 100 },
          plannedInvestment: 600,
          outputTarget: 50,
        }),
      ),
    events: (s) => {
      const done = (s.context as { outputs: unknown[] }).outputs.length;
      return [
        { type: 'SIGN', contractAmount: 500, at: '2022-09-01' },
        { type: 'SIGN', contractAmount: -1, at: '2022-09-01' },
        ...ALL_PERMITS.map((permit) => ({ type: 'GRANT_PERMIT', permit, at: '2022-09-01' })),
        { type: 'REPORT_CLEARANCE', mu: 10, houses: 1, at: '2022-09-01' },
        { type: 'REPORT_CLEARANCE', mu: 11, houses: 0, at: '2022-09-01' },
        { type: 'START_CONSTRUCTION', at: '2022-09-01' },
        { type: 'START_CONSTRUCTION', at: '2022-07-01' },
        { type: 'COMPLETE', at: '2022-09-01' },
        { type: 'START_PRODUCTION', at: '2022-09-01' },
        ...(done < 2 ? [{ type: 'REPORT_OUTPUT', month: `2022-0${done + 7}`, output: 60, at: '2022-09-01' }] : []),
        { type: 'DISBURSE_BOND', amount: 100, at: '2022-09-01' },
        { type: 'DROP', reason: '撤资', at: '2022-09-01' },
        { type: 'NOT_AN_EVENT', at: '2022-09-01' },
      ];
    },
  },
  campaign: {
    start: () => createActor(KINDS.campaign.machine, { input: campaign }).getSnapshot(),
    events: () => [
      { type: 'START', at: '2022-08-01' },
      { type: 'START', at: '2022-08-02' },
      { type: 'SUPERVISE', month: '2022-08', at: '2022-08-31' },
      { type: 'SUPERVISE', month: '2022-08', at: '2022-08-30' },
      { type: 'SUPERVISE', month: '2022-09', at: '2022-09-09' },
      { type: 'ASSESS', at: '2022-09-09' },
      { type: 'ASSESS', at: '2022-09-01' },
      { type: 'CLOSE', at: '2022-09-10' },
      { type: 'CLOSE', at: '2022-07-01' },
    ],
  },
  unit: {
    start: () =>
      createActor(KINDS.unit.machine, {
        input: { id: 'c:u1', campaignId: 'c', unitId: 'u1', name: '一号镇', group: 'township' },
      }).getSnapshot(),
    events: (s) => {
      const { assessments, accountability } = s.context as { assessments: unknown[]; accountability: unknown[] };
      const months = assessments.length;
      const month = `2022-0${months + 7}`;
      return [
        ...(months < 3
          ? [
              { type: 'MONTH_ASSESSED', month, missedTasks: [], bottomTasks: [], at: '2022-10-01' },
              { type: 'MONTH_ASSESSED', month, missedTasks: ['signed'], bottomTasks: [], at: '2022-10-01' },
              { type: 'MONTH_ASSESSED', month, missedTasks: ['signed'], bottomTasks: ['signed'], at: '2022-10-01' },
            ]
          : []),
        { type: 'MONTH_ASSESSED', month: '2022-01', missedTasks: [], bottomTasks: [], at: '2022-10-01' },
        ...(accountability.length < 2 ? [{ type: 'RECORD_ACCOUNTABILITY', reason: '懒政怠政', at: '2022-10-01' }] : []),
        { type: 'RECORD_ACCOUNTABILITY', reason: ' ', at: '2022-10-01' },
      ];
    },
  },
  problem: {
    start: () =>
      createActor(KINDS.problem.machine, {
        input: { id: 'q1', projectId: 'p1', title: '土地预征', source: 'onSiteMeeting', raisedOn: '2022-08-19' },
      }).getSnapshot(),
    events: () => [
      { type: 'ASSIGN', unitId: 'u1', due: '2022-09-10', at: '2022-08-20' },
      { type: 'ASSIGN', unitId: 'u1', due: '2022-08-01', at: '2022-08-20' },
      { type: 'RESOLVE', note: '已完成预征', at: '2022-09-01' },
      { type: 'RESOLVE', note: '', at: '2022-09-01' },
      { type: 'VERIFY', at: '2022-09-02' },
      { type: 'REOPEN', reason: '未落实', at: '2022-09-03' },
      { type: 'VERIFY', at: '2022-08-01' },
    ],
  },
  filing: {
    start: () =>
      createActor(KINDS.filing.machine, {
        input: {
          id: 'f1',
          projectId: 'p1',
          unitId: 'u1',
          event: { type: 'START_CONSTRUCTION', at: '2022-08-19' },
          reviewers: ['housing', 'hq'],
          reviewDays: 3,
          campaignId: 'c',
          submittedOn: '2022-08-19',
          filedBy: 'u1-staff',
          attachments: [],
        },
      }).getSnapshot(),
    events: () => [
      { type: 'RETURN', reason: '缺开工照片', at: '2022-08-20' },
      { type: 'RETURN', reason: ' ', at: '2022-08-20' },
      { type: 'RESUBMIT', event: { type: 'START_CONSTRUCTION', at: '2022-08-18' }, at: '2022-08-21' },
      { type: 'RESUBMIT', event: { type: 'COMPLETE', at: '2022-08-18' }, at: '2022-08-21' },
      { type: 'APPROVE', at: '2022-08-22' },
      { type: 'APPROVE', at: '2022-08-01' },
      { type: 'WITHDRAW', at: '2022-08-23' },
    ],
  },
  programme: {
    start: () =>
      createActor(KINDS.programme.machine, {
        input: { id: 'pv', name: '光伏', plannedInvestment: 135000, registeredOn: '2022-06-20' },
      }).getSnapshot(),
    events: (s) => [
      ...((s.context as { revisions: unknown[] }).revisions.length < 4
        ? [{ type: 'REVISE', plannedInvestment: 140000, reason: '新增', at: '2022-08-01' }]
        : []),
      { type: 'REVISE', plannedInvestment: 140000, reason: ' ', at: '2022-08-01' },
      { type: 'REVISE', landMu: 3000, reason: '核减', at: '2022-06-01' },
    ],
  },
};

describe('the rule kernel, for every machine', () => {
  it('every kind in the registry has a model here (a new kind must add one)', () => {
    expect(Object.keys(MODELS).sort()).toEqual(ALL_KINDS.map((k) => k.kind).sort());
  });

  it.each(ALL_KINDS.map((kind) => [kind.kind, kind] as const))(
    '%s: explain(s, e) === null ⇔ s.can(e) on every reachable state',
    (name, kind) => {
      const model = MODELS[name as KindName];
      const serializeState = (s: AnyMachineSnapshot) => JSON.stringify([s.value, s.context]);
      const paths = getShortestPaths(kind.machine, {
        fromState: model.start(),
        events: model.events,
        serializeState,
        limit: 5000,
      });
      expect(paths.length).toBeGreaterThan(3);
      let refused = 0;
      for (const { state } of paths) {
        for (const event of model.events(state)) {
          const rejection = kind.explain(state as never, event);
          expect(
            state.can(event),
            `${serializeState(state)} ${JSON.stringify(event)}: ${rejection?.rule ?? 'accepted'}`,
          ).toBe(rejection === null);
          if (rejection !== null) {
            refused += 1;
            expect(rejection.zh.length).toBeGreaterThan(3);
            expect(rejection.en.length).toBeGreaterThan(3);
          }
        }
      }
      expect(refused).toBeGreaterThan(0);
    },
  );

  it.each(ALL_KINDS.map((kind) => [kind.kind, kind] as const))(
    '%s: options() lists only events its states take, with what blocks each',
    (name, kind) => {
      const model = MODELS[name as KindName];
      const start = model.start();
      const options = kind.options(start as never);
      for (const option of options) expect(Object.keys(kind.labels.events)).toContain(option.type);
    },
  );
});
