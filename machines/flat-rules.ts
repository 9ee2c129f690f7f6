import type { AnyStateMachine } from 'xstate';
import { isIsoDate } from './dates.ts';
import { notInFuture, type EventClock } from './event-date.ts';
import type { Bilingual, Rejection } from './project-types.ts';

/**
 * Rules for the single-region machines (campaign, unit, problem), built the way the project's
 * are: each event transition names one rule; a rule is a list of checks returning null or the
 * refusal with its numbers; `explainFlat` reads the machine's own definition to say why an
 * event is refused, so guards and messages cannot drift apart.
 */
export type FlatCheck<C, E> = (context: C, event: E) => Rejection | null;

export interface FlatRule<C, E> {
  check: FlatCheck<C, E>;
}

/** Every flat rule starts by requiring a valid date not earlier than the last one recorded. */
export function flatRule<C extends { lastEventAt: string | null }, E>(...checks: FlatCheck<C, E>[]): FlatRule<C, E> {
  const all: FlatCheck<C, E>[] = [datedInOrderFlat as FlatCheck<C, E>, ...checks];
  return {
    check: (context, event) => {
      for (const check of all) {
        const rejection = check(context, event);
        if (rejection !== null) return rejection;
      }
      return null;
    },
  };
}

function datedInOrderFlat(context: { lastEventAt: string | null }, event: { at?: unknown }): Rejection | null {
  const at = event.at;
  if (!isIsoDate(at)) return { rule: 'eventDate', zh: `事件日期无效:「${String(at)}」,应为 YYYY-MM-DD`, en: `invalid event date "${String(at)}", expected YYYY-MM-DD` };
  if (context.lastEventAt !== null && at < context.lastEventAt) {
    return { rule: 'eventDateOrder', zh: `事件日期 ${at} 早于最近一次记录的日期 ${context.lastEventAt}`, en: `event date ${at} is before the latest record, ${context.lastEventAt}` };
  }
  return null;
}

export function flatGuards<C, E, R extends Record<string, FlatRule<C, E>>>(rules: R): { [K in keyof R]: (args: { context: C; event: E }) => boolean } {
  const guards = {} as { [K in keyof R]: (args: { context: C; event: E }) => boolean };
  for (const name of Object.keys(rules) as (keyof R)[]) {
    const { check } = rules[name]!;
    guards[name] = ({ context, event }) => check(context, event) === null;
  }
  return guards;
}

/**
 * Why a flat machine would refuse `event`, or null. Looks for the transition in the current
 * state, then at the root; names the state when nothing handles the event there.
 */
export function explainFlat<C>(
  machine: AnyStateMachine,
  rules: Record<string, FlatRule<C, never>>,
  view: { value: unknown; context: C },
  event: unknown,
  labels: { events: Record<string, Bilingual>; states: Record<string, Bilingual> },
  clock?: EventClock,
): Rejection | null {
  const type = (event as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(labels.events, type)) {
    return { rule: 'unknownEvent', zh: `未知事件「${String(type)}」`, en: `unknown event "${String(type)}"` };
  }
  const future = notInFuture((event as { at?: unknown }).at, clock);
  if (future !== null) return future;
  const state = String(view.value);
  const transitions = machine.states[state]?.on[type] ?? machine.root.on[type];
  const guard = transitions?.[0]?.guard;
  if (transitions === undefined || transitions.length === 0) {
    const current = labels.states[state] ?? { zh: state, en: state };
    return { rule: 'state', zh: `不能${labels.events[type]!.zh}:当前为「${current.zh}」`, en: `cannot ${labels.events[type]!.en}: it is "${current.en}"` };
  }
  if (typeof guard !== 'string' || rules[guard] === undefined) return null;
  return rules[guard].check(view.context, event as never);
}
