import { addDays, endOfMonth, monthOf } from './dates.ts';

/** One supervision period: the part of a calendar month inside the campaign. */
export interface Period {
  month: string;
  from: string;
  to: string;
}

/** The last day of a campaign of `days` days starting on `start` (day 1). */
export function campaignEnd(start: string, days: number): string {
  return addDays(start, days - 1);
}

/**
 * The supervision periods: each calendar month the campaign touches, cut to the campaign.
 * A supervision is held at each period's end (每月一督查), the last one at the campaign's end.
 *
 * @example
 * campaignPeriods('2022-08-01', 100) // 08-01..08-31, 09-01..09-30, 10-01..10-31, 11-01..11-08
 */
export function campaignPeriods(start: string, days: number): Period[] {
  const end = campaignEnd(start, days);
  const periods: Period[] = [];
  let from = start;
  while (from <= end) {
    const monthEnd = endOfMonth(from);
    // biome-ignore lint/complexity/useMathMinMax: ISO dates, compared as strings
    const to = monthEnd < end ? monthEnd : end;
    periods.push({ month: monthOf(from), from, to });
    from = addDays(to, 1);
  }
  return periods;
}
