import type { AnyStateMachine } from 'xstate';
import { isIsoDate } from './dates.ts';

/**
 * The rule kernel every machine is built on. A **rule** guards one event transition: a list of
 * checks, each returning `null` or the refusal — the rule's name and the numbers behind it, in
 * both languages. A machine's guards are built from its rules (`guardsFrom`), and its
 * explainer (`explainerFor`) reads the machine's own definition to say which rule applies in
 * which state, so a guard and its message are one definition and cannot drift apart:
 * `explain(s, e) === null` ⇔ `s.can(e)`, checked on every reachable state of every machine.
 *
 * @example
 * const kit = ruleKit<Ctx, Evt>({ common: [datedInOrder] });
 * const rules = { canSign: kit.rule([], [amountPositive]) };
 * const machine = setup({ guards: guardsFrom(rules), … }).createMachine({ … });
 * const { explain } = explainerFor(machine, rules, { events, states });
 */

/** A message for a person, in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Why an event was refused: the rule's name and the numbers behind it. */
export interface Rejection extends Bilingual {
  rule: string;
  /** For `eventDateFuture`: the day of the refusal and the latest date then allowed (replay re-checks with these). */
  today?: string;
  latestDate?: string;
}

export function reject(rule: string, zh: string, en: string): Rejection {
  return { rule, zh, en };
}

/** A check of the entity and the event's payload. */
export type Check<C, E> = (context: C, event: E) => Rejection | null;

/** A check of the entity alone: whether the event is possible now, before any payload. */
export type Precondition<C> = (context: C) => Rejection | null;

/** The rule guarding one event transition. */
export interface Rule<C, E> {
  preconditions: readonly Precondition<C>[];
  /** Every check in order — the machine's common checks, the preconditions, the payload's. */
  check: Check<C, E>;
  /** The checks' names, in the order they run (the inspector shows them). */
  checks: readonly string[];
}

/** What the engine tells the machines, which read no clock: today and the latest date an event may carry. */
export interface EventClock {
  today: string;
  latestDate: string;
}

/**
 * Refuses an event dated after the latest allowed (a project with an event dated 9999-12-31
 * would refuse every later one by date order, for ever). Without a clock — replaying the
 * journal — nothing is checked: what was accepted then stays accepted.
 */
export function notInFuture(
  at: unknown,
  clock: EventClock | undefined,
  what: Bilingual = { zh: '事件日期', en: 'the event date' },
): Rejection | null {
  if (clock === undefined || !isIsoDate(at) || at <= clock.latestDate) return null;
  const allowed = clock.latestDate === clock.today ? '' : `(最晚可报 ${clock.latestDate})`;
  const allowedEn = clock.latestDate === clock.today ? '' : ` (the latest allowed is ${clock.latestDate})`;
  return {
    rule: 'eventDateFuture',
    zh: `${what.zh} ${at} 晚于今天 ${clock.today}${allowed}:不能报送尚未发生的事`,
    en: `${what.en} ${at} is after today, ${clock.today}${allowedEn}: nothing can be reported before it happens`,
    today: clock.today,
    latestDate: clock.latestDate,
  };
}

/** An event's date: a real `YYYY-MM-DD`, not before the entity's latest record. */
export const datedInOrder: Check<{ lastEventAt: string | null }, unknown> = (context, event) => {
  const at = (event as { at?: unknown } | null)?.at;
  if (!isIsoDate(at))
    return reject(
      'eventDate',
      `事件日期无效:「${String(at)}」,应为 YYYY-MM-DD`,
      `invalid event date "${String(at)}", expected YYYY-MM-DD`,
    );
  if (context.lastEventAt !== null && at < context.lastEventAt) {
    return reject(
      'eventDateOrder',
      `事件日期 ${at} 早于最近一次记录的日期 ${context.lastEventAt}`,
      `event date ${at} is before the latest record, ${context.lastEventAt}`,
    );
  }
  return null;
};

function firstRejection<C, E>(checks: readonly Check<C, E>[], context: C, event: E): Rejection | null {
  for (const check of checks) {
    const rejection = check(context, event);
    if (rejection !== null) return rejection;
  }
  return null;
}

/**
 * Builds a machine's rules, each starting with the machine's `common` checks (every machine:
 * a valid date in order; the project: also "not dropped").
 */
export function ruleKit<C, E>(options: {
  common: readonly Check<C, E>[];
  commonPreconditions?: readonly Precondition<C>[];
}) {
  return {
    common: options.common,
    rule(preconditions: Precondition<C>[], payload: Check<C, E>[] = []): Rule<C, E> {
      const all: Check<C, E>[] = [...options.common, ...preconditions, ...payload];
      return {
        preconditions: [...(options.commonPreconditions ?? []), ...preconditions],
        check: (context, event) => firstRejection(all, context, event),
        checks: all.map((c) => c.name || 'check'),
      };
    },
  };
}

/** Each rule's checks by name, in order (what `/api/machines` and the inspector show of a rule). */
export function ruleChecks<R extends Record<string, { checks: readonly string[] }>>(
  rules: R,
): Readonly<Record<string, readonly string[]>> {
  return Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, rule.checks]));
}

/** The machine's guards: one per rule, true when the rule's checks all pass. */
export function guardsFrom<C, E, R extends Record<string, Rule<C, E>>>(
  rules: R,
): { [K in keyof R]: (args: { context: C; event: E }) => boolean } {
  const guards = {} as { [K in keyof R]: (args: { context: C; event: E }) => boolean };
  for (const name of Object.keys(rules) as (keyof R)[]) {
    const { check } = rules[name]!;
    guards[name] = ({ context, event }) => check(context, event) === null;
  }
  return guards;
}

/**
 * Names people read for a machine: its events, its states — per region for a parallel machine
 * (`states[region][state]`, with `regions`), or directly (`states[state]`) for one without regions.
 */
export interface MachineLabels<T extends string = string> {
  events: Readonly<Record<T, Bilingual>>;
  states: Readonly<Record<string, Bilingual>> | Readonly<Record<string, Readonly<Record<string, Bilingual>>>>;
  regions?: Readonly<Record<string, Bilingual>>;
}

/** What `explain` and `options` need of a snapshot (a live or a persisted one). */
export interface SnapshotView<C = unknown> {
  value: unknown;
  context: C;
}

/** One event an entity could be sent now, or why it cannot (payload aside). */
export interface EventOption<T extends string = string> {
  type: T;
  /** Null when the entity's state allows it; the payload is still checked on sending. */
  blockedBy: Rejection | null;
}

/** Where a machine handles one event: in which region, and by which rule in which state (or always). */
interface Handler {
  /** The parallel region (its key), or null for a machine without regions. */
  region: string | null;
  /** state → rule; `always` is the rule of a transition on the region's (or machine's) root. */
  byState: Map<string, string>;
  always: string | null;
}

/**
 * Reads which states handle each labelled event, and by which named rule. The machines keep to
 * the shapes this relies on (checked here, at load): a machine is flat or parallel with flat
 * regions; an event is handled in one region; each handling is a single transition guarded by
 * a named rule. Events without a label (internal ones, like the ladder's `ladder.*`) are skipped.
 */
function readHandlers(
  machine: AnyStateMachine,
  rules: Record<string, unknown>,
  labels: MachineLabels<string>,
): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  const root = machine.root;
  const regions: [string | null, typeof root][] =
    root.type === 'parallel' ? Object.entries(root.states).map(([key, node]) => [key, node]) : [[null, root]];
  const note = (
    type: string,
    region: string | null,
    state: string | null,
    transitions: readonly { guard?: unknown }[],
  ) => {
    if (!Object.hasOwn(labels.events, type)) return;
    const guard = transitions[0]?.guard;
    if (transitions.length !== 1 || typeof guard !== 'string' || !Object.hasOwn(rules, guard)) {
      throw new Error(
        `${machine.id}: ${type} in ${region ?? ''}.${state ?? '(root)'} must be one transition guarded by a named rule`,
      );
    }
    const handler = handlers.get(type) ?? { region, byState: new Map<string, string>(), always: null };
    if (handler.region !== region) throw new Error(`${machine.id}: ${type} is handled in two regions`);
    if (state === null) handler.always = guard;
    else handler.byState.set(state, guard);
    handlers.set(type, handler);
  };
  for (const [region, node] of regions) {
    for (const [type, transitions] of Object.entries(node.on)) note(type, region, null, transitions);
    for (const [state, child] of Object.entries(node.states)) {
      if (Object.keys(child.states).length > 0)
        throw new Error(`${machine.id}: ${region ?? ''}.${state} has child states; the rule kernel reads flat regions`);
      for (const [type, transitions] of Object.entries(child.on)) note(type, region, state, transitions);
    }
  }
  return handlers;
}

/**
 * The explainer of a machine: why it would refuse an event (`explain`), and which events its
 * states take now with what blocks each (`options`) — read off the machine definition.
 */
export function explainerFor<C, T extends string = string>(
  machine: AnyStateMachine,
  rules: Readonly<Record<string, Rule<C, never>>>,
  labels: MachineLabels<T>,
  common: readonly Check<C, never>[],
) {
  const handlers = readHandlers(machine, rules, labels);
  const stateLabel = (region: string | null, state: string): Bilingual => {
    const table = (
      region === null ? labels.states : (labels.states as Record<string, Record<string, Bilingual>>)[region]
    ) as Record<string, Bilingual> | undefined;
    return table?.[state] ?? { zh: state, en: state };
  };
  const current = (view: SnapshotView<C>, region: string | null): string =>
    String(region === null ? view.value : (view.value as Record<string, unknown>)[region]);
  const ruleNow = (view: SnapshotView<C>, handler: Handler): string | undefined =>
    handler.always ?? handler.byState.get(current(view, handler.region));

  function wrongState(type: string, view: SnapshotView<C>, handler: Handler): Rejection {
    const { region } = handler;
    const now = stateLabel(region, current(view, region));
    const needed = [...handler.byState.keys()].map((s) => stateLabel(region, s));
    const where = region === null ? { zh: '当前', en: 'it' } : (labels.regions?.[region] ?? { zh: region, en: region });
    const event = (labels.events as Record<string, Bilingual>)[type]!;
    return reject(
      region === null ? 'state' : `${region}State`,
      `不能${event.zh}:${where.zh}为「${now.zh}」,须为「${needed.map((n) => n.zh).join('」或「')}」`,
      `cannot ${event.en}: ${where.en} is "${now.en}", must be "${needed.map((n) => n.en).join('" or "')}"`,
    );
  }

  return {
    /**
     * Why the machine would refuse `event`, or `null` if it would accept it: exactly its own
     * decision (`s.can(e)`), plus — given the engine's `clock` — no event dated after today.
     */
    explain(view: SnapshotView<C>, event: unknown, clock?: EventClock): Rejection | null {
      const type = (event as { type?: unknown } | null)?.type;
      if (
        typeof event !== 'object' ||
        event === null ||
        typeof type !== 'string' ||
        !Object.hasOwn(labels.events, type)
      ) {
        return reject('unknownEvent', `未知事件「${String(type)}」`, `unknown event "${String(type)}"`);
      }
      const early =
        notInFuture((event as { at?: unknown }).at, clock) ?? firstRejection(common, view.context, event as never);
      if (early !== null) return early;
      const handler = handlers.get(type);
      if (handler === undefined)
        return reject('unhandledEvent', `不处理事件「${type}」`, `${machine.id} does not handle ${type}`);
      const ruleName = ruleNow(view, handler);
      return ruleName === undefined
        ? wrongState(type, view, handler)
        : rules[ruleName]!.check(view.context, event as never);
    },

    /** The events the entity's states take now, each with the precondition that blocks it (if any). */
    options(view: SnapshotView<C>): EventOption<T>[] {
      const options: EventOption<T>[] = [];
      for (const type of Object.keys(labels.events) as T[]) {
        const handler = handlers.get(type);
        const ruleName = handler === undefined ? undefined : ruleNow(view, handler);
        if (ruleName === undefined) continue;
        let blockedBy: Rejection | null = null;
        for (const pre of rules[ruleName]!.preconditions) {
          blockedBy = pre(view.context);
          if (blockedBy !== null) break;
        }
        options.push({ type, blockedBy });
      }
      return options;
    },
  };
}
