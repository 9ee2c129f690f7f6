import { describe, expect, it } from 'vitest';
import { explainRejection, type ProjectEvent } from '../../machines/index.ts';
import { ALL_PERMITS, projectActor } from './fixtures.ts';

/** A project that started construction on 2022-08-05, planned at 1,000 万元. */
const started = (events: ProjectEvent[] = []) =>
  projectActor({ plannedInvestment: 1000, stage: 'signed', permits: [...ALL_PERMITS] }, [
    { type: 'START_CONSTRUCTION', at: '2022-08-05' },
    ...events,
  ]);
const refusal = (actor: ReturnType<typeof projectActor>, event: ProjectEvent) =>
  explainRejection(actor.getSnapshot(), event);
const invest = (month: string, amount: number, at: string): ProjectEvent => ({
  type: 'REPORT_INVESTMENT',
  month,
  amount,
  at,
});

describe('investment (完成投资, 形象进度, 调整计划总投资)', () => {
  it('monthly investment is recorded from the start of construction; refused before it', () => {
    const p = started([invest('2022-08', 300, '2022-09-02')]);
    expect(p.getSnapshot().context.investments).toEqual([{ month: '2022-08', amount: 300 }]);
    const notYet = projectActor({ plannedInvestment: 1000, stage: 'signed' });
    expect(notYet.getSnapshot().can(invest('2022-08', 300, '2022-09-02'))).toBe(false);
  });

  it('one report per month; a month before the start or in the future is refused, with the dates', () => {
    const p = started([invest('2022-08', 300, '2022-09-02')]);
    expect(refusal(p, invest('2022-08', 10, '2022-09-03'))?.rule).toBe('investmentMonthReported');
    expect(refusal(p, invest('2022-07', 10, '2022-09-03'))).toMatchObject({ rule: 'reportMonthBeforeStart' });
    expect(refusal(p, invest('2022-10', 10, '2022-09-03'))).toMatchObject({ rule: 'reportMonthFuture' });
    expect(refusal(p, invest('2022-09', 0, '2022-09-30'))?.rule).toBe('investmentAmount');
    expect(refusal(p, invest('2022-09', 700, '2022-09-30'))).toBeNull();
  });

  it('the cumulative stays within the planned total until the plan is revised by an explicit event', () => {
    const p = started([invest('2022-08', 900, '2022-09-02')]);
    const over = refusal(p, invest('2022-09', 200, '2022-10-02'));
    expect(over).toMatchObject({ rule: 'investmentExceedsPlan' });
    expect(over!.zh).toContain('1100 万元,超过计划总投资 1000 万元');
    expect(refusal(p, { type: 'REVISE_PLAN', plannedInvestment: 800, reason: '核减', at: '2022-10-01' })?.rule).toBe(
      'planBelowInvested',
    );
    expect(refusal(p, { type: 'REVISE_PLAN', plannedInvestment: 1500, reason: ' ', at: '2022-10-01' })?.rule).toBe(
      'reasonMissing',
    );
    p.send({ type: 'REVISE_PLAN', plannedInvestment: 1500, reason: '增加二期厂房', at: '2022-10-01' });
    expect(p.getSnapshot().context).toMatchObject({
      plannedInvestment: 1500,
      planRevisions: [{ from: 1000, to: 1500, reason: '增加二期厂房' }],
    });
    expect(refusal(p, invest('2022-09', 200, '2022-10-02'))).toBeNull();
  });

  it('形象进度: 0–100 %, one per month, never backwards', () => {
    const progress = (month: string, percent: number, at: string): ProjectEvent => ({
      type: 'REPORT_PROGRESS',
      month,
      percent,
      note: '主体施工',
      at,
    });
    const p = started([progress('2022-08', 30, '2022-09-01')]);
    expect(refusal(p, progress('2022-09', 20, '2022-10-01'))?.rule).toBe('progressBackwards');
    expect(refusal(p, progress('2022-09', 120, '2022-10-01'))?.rule).toBe('progressPercent');
    expect(refusal(p, progress('2022-08', 40, '2022-10-01'))?.rule).toBe('progressMonthReported');
    expect(refusal(p, progress('2022-09', 45, '2022-10-01'))).toBeNull();
  });
});
