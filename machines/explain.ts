import { datedInOrder, notDropped, reject } from './project-checks.ts';
import { projectMachine, projectRules, type ProjectRuleName } from './project.ts';
import { notInFuture, type EventClock } from './event-date.ts';
import { EVENT_LABELS, REGION_LABELS, STATE_LABELS } from './labels.ts';
import {
  PROJECT_EVENT_TYPES,
  type ProjectContext,
  type ProjectEvent,
  type ProjectEventType,
  type ProjectStateValue,
  type Rejection,
} from './project-types.ts';

type Region = keyof ProjectStateValue;

/** Where an event is handled: its region, and in which of the region's states by which rule. */
interface Handler {
  region: Region;
  rules: Map<string, ProjectRuleName>;
}

/**
 * Read off the machine definition itself, so explanations follow the statechart: which states
 * handle each event and which named guard applies there. The statechart keeps to two shapes
 * this relies on (checked at load): an event is handled in one region only, and by a single
 * guarded transition per state.
 */
function readHandlers(): Map<ProjectEventType, Handler> {
  const handlers = new Map<ProjectEventType, Handler>();
  for (const [region, regionNode] of Object.entries(projectMachine.states) as [Region, (typeof projectMachine.states)[Region]][]) {
    for (const [stateName, stateNode] of Object.entries(regionNode.states)) {
      for (const [eventType, transitions] of Object.entries(stateNode.on)) {
        const type = eventType as ProjectEventType;
        const handler = handlers.get(type) ?? { region, rules: new Map<string, ProjectRuleName>() };
        const guard = transitions[0]?.guard;
        if (handler.region !== region || transitions.length !== 1 || typeof guard !== 'string' || !(guard in projectRules)) {
          throw new Error(`project statechart: ${type} in ${region}.${stateName} must be one transition guarded by a named rule`);
        }
        handler.rules.set(stateName, guard as ProjectRuleName);
        handlers.set(type, handler);
      }
    }
  }
  return handlers;
}

const HANDLERS = readHandlers();

/** What `explainRejection` and `eventOptions` need of a snapshot (a live or a persisted one). */
export interface ProjectView {
  value: ProjectStateValue;
  context: ProjectContext;
}

function wrongState(type: ProjectEventType, view: ProjectView, handler: Handler): Rejection {
  const region = handler.region;
  const labels = STATE_LABELS[region] as Record<string, { zh: string; en: string }>;
  const current = labels[view.value[region]]!;
  const needed = [...handler.rules.keys()].map((s) => labels[s]!);
  return reject(
    `${region}State`,
    `不能${EVENT_LABELS[type].zh}:${REGION_LABELS[region].zh}为「${current.zh}」,须为「${needed.map((n) => n.zh).join('」或「')}」`,
    `cannot ${EVENT_LABELS[type].en}: ${REGION_LABELS[region].en} is "${current.en}", must be "${needed.map((n) => n.en).join('" or "')}"`,
  );
}

/**
 * Why the project would refuse `event`, or `null` if it would accept it. Exactly the machine's
 * own decision: `explainRejection(s, e) === null` ⇔ `s.can(e)` (a model-based test checks it on
 * every reachable state) — plus, given the engine's `clock`, no event dated after today.
 *
 * @example
 * explainRejection(snapshot, { type: 'START_CONSTRUCTION', at: '2022-09-01' })
 * // { rule: 'landUncleared', zh: '征拆未清零:已清 800/1018.5 亩,已拆 3/5 栋', en: '…' }
 */
export function explainRejection(view: ProjectView, event: unknown, clock?: EventClock): Rejection | null {
  const type = (event as { type?: unknown } | null)?.type;
  if (typeof event !== 'object' || event === null || !(PROJECT_EVENT_TYPES as readonly unknown[]).includes(type)) {
    return reject('unknownEvent', `未知事件「${String(type)}」`, `unknown event "${String(type)}"`);
  }
  const projectEvent = event as ProjectEvent;
  const handler = HANDLERS.get(projectEvent.type);
  const common = notDropped(view.context) ?? notInFuture(projectEvent.at, clock) ?? datedInOrder(view.context, projectEvent);
  if (common !== null) return common;
  const ruleName = handler?.rules.get(view.value[handler.region]);
  if (handler === undefined || ruleName === undefined) {
    return handler === undefined
      ? reject('unhandledEvent', `项目不处理事件「${projectEvent.type}」`, `the project does not handle ${projectEvent.type}`)
      : wrongState(projectEvent.type, view, handler);
  }
  return projectRules[ruleName].check(view.context, projectEvent);
}

/** One event a project could be sent now, or why it cannot (payload aside). */
export interface EventOption {
  type: ProjectEventType;
  /** Null when the project's state allows it; the payload is still checked on sending. */
  blockedBy: Rejection | null;
}

/**
 * The events the project's states handle now, each with the precondition that blocks it (if
 * any). Payload checks (amounts, dates) are not applied: there is no payload yet.
 */
export function eventOptions(view: ProjectView): EventOption[] {
  const options: EventOption[] = [];
  for (const type of PROJECT_EVENT_TYPES) {
    const handler = HANDLERS.get(type);
    const ruleName = handler?.rules.get(view.value[handler.region]);
    if (ruleName === undefined) continue;
    let blockedBy: Rejection | null = null;
    for (const pre of projectRules[ruleName].preconditions) {
      blockedBy = pre(view.context);
      if (blockedBy !== null) break;
    }
    options.push({ type, blockedBy });
  }
  return options;
}
