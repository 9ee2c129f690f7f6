import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  dayNumber,
  endOfMonth,
  fromDayNumber,
  isIsoDate,
  isIsoMonth,
  monthsBetween,
} from '../../machines/index.ts';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2022-02-29')).toBe(false);
    expect(isIsoDate('2022-04-31')).toBe(false);
    expect(isIsoDate('2022-4-1')).toBe(false);
    expect(isIsoDate(20220401)).toBe(false);
    expect(isIsoMonth('2022-12')).toBe(true);
    expect(isIsoMonth('2022-00')).toBe(false);
  });
  it('a real date is exactly a YYYY-MM-DD the calendar round-trips, from 1900 on', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const year = fc.integer({ min: 1800, max: 2400 }).map(String);
    // Mostly well-formed, at the edges (months 00–13, days 00–32), sometimes not (letters, other lengths).
    const candidate = fc.oneof(
      fc.tuple(year, two(13), two(32)).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.tuple(year, two(13), two(32)).map(([y, m, d]) => `${y}-${m}-${d}x`),
      // 29 February in leap-year candidates: every fourth year, and the centuries (only every fourth one leaps).
      fc.integer({ min: 475, max: 600 }).map((n) => `${n * 4}-02-29`),
      fc.integer({ min: 19, max: 24 }).map((c) => `${c}00-02-29`),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const shaped = /^\d{4}-\d{2}-\d{2}$/.test(value);
        const parsed = new Date(`${value}T00:00:00Z`);
        const real =
          shaped && Number(value.slice(0, 4)) >= 1900 && !Number.isNaN(parsed.getTime())
            ? parsed.toISOString().slice(0, 10) === value
            : false;
        expect(isIsoDate(value)).toBe(real);
      }),
      { numRuns: 3000 },
    );
  });
  it('counts days across months and leap years', () => {
    expect(daysBetween('2022-08-01', '2022-11-08')).toBe(99);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29');
  });
  it('counts whole months once the day is reached', () => {
    expect(monthsBetween('2022-06-15', '2022-09-14')).toBe(2);
    expect(monthsBetween('2022-06-15', '2022-09-15')).toBe(3);
  });
  it('day numbers and dates are inverse', () => {
    fc.assert(fc.property(fc.integer({ min: -20000, max: 60000 }), (n) => dayNumber(fromDayNumber(n)) === n));
  });
});
