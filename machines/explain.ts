import { EVENT_LABELS, REGION_LABELS, STATE_LABELS } from './labels.ts';
import { notDropped } from './project-checks.ts';
import { projectMachine, projectRules } from './project.ts';
import type { ProjectContext, ProjectEventType, ProjectStateValue } from './project-types.ts';
import { datedInOrder, explainerFor, type EventClock, type EventOption, type Rejection } from './rules.ts';

/** A project's snapshot as `explainRejection` and `eventOptions` read it (live or persisted). */
export interface ProjectSnapshotView {
  value: ProjectStateValue;
  context: ProjectContext;
}

const projectExplainer = explainerFor<ProjectContext, ProjectEventType>(
  projectMachine,
  projectRules,
  { events: EVENT_LABELS, states: STATE_LABELS, regions: REGION_LABELS },
  [notDropped, datedInOrder],
);

/**
 * Why the project would refuse `event`, or `null` if it would accept it. Exactly the machine's
 * own decision: `explainRejection(s, e) === null` ⇔ `s.can(e)` (a model-based test checks it on
 * every reachable state) — plus, given the engine's `clock`, no event dated after today.
 *
 * @example
 * explainRejection(snapshot, { type: 'START_CONSTRUCTION', at: '2022-09-01' })
 * // { rule: 'landUncleared', zh: '征拆未清零:已清 800/1018.5 亩,已拆 3/5 栋', en: '…' }
 */
export function explainRejection(view: ProjectSnapshotView, event: unknown, clock?: EventClock): Rejection | null {
  return projectExplainer.explain(view, event, clock);
}

/**
 * The events the project's states handle now, each with the precondition that blocks it (if
 * any). Payload checks (amounts, dates) are not applied: there is no payload yet.
 */
export function eventOptions(view: ProjectSnapshotView): EventOption<ProjectEventType>[] {
  return projectExplainer.options(view);
}
