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
