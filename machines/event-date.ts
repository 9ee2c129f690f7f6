import { isIsoDate } from './dates.ts';
import type { Rejection } from './project-types.ts';

/**
 * What the machines cannot know by themselves — they read no clock — and the engine tells them:
 * today's date in the county and the latest date an event may carry (today plus the configured
 * tolerance). Over HTTP the clock is the server's; in a simulation, the simulated day.
 */
export interface EventClock {
  today: string;
  latestDate: string;
}

/**
 * Refuses a date after the latest allowed: a project with an event dated 9999-12-31 would refuse
 * every later event by date order, for ever. Without a clock (replaying the journal) nothing is
 * checked here: what was accepted then stays accepted.
 *
 * @example
 * notInFuture('9999-12-31', { today: '2026-11-30', latestDate: '2026-11-30' })
 * // { rule: 'eventDateFuture', zh: '日期 9999-12-31 晚于今天 2026-11-30 …', … }
 */
export function notInFuture(at: unknown, clock: EventClock | undefined, what: { zh: string; en: string } = { zh: '事件日期', en: 'the event date' }): Rejection | null {
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
