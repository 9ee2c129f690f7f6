import type { Response } from 'express';
import type { CreateOutcome, SendOutcome } from '../engine/index.ts';
import { etag } from './http-util.ts';
import { HttpProblem, httpProblemFrom } from './http-problem.ts';

export const notFound = (zh: string, en: string) =>
  new HttpProblem(
    404,
    'not-found',
    { title: '未找到', detail: `${zh} 不存在` },
    { title: 'Not found', detail: `no ${en}` },
  );

export const keyReused = (key: string) =>
  new HttpProblem(
    422,
    'idempotency-key-reused',
    { title: '幂等键重复使用', detail: `Idempotency-Key「${key}」已用于另一个请求` },
    { title: 'Idempotency key reused', detail: `Idempotency-Key "${key}" was used for a different request` },
  );

/**
 * The one mapping from an engine outcome to HTTP: 200 with the new version as ETag, 409 with
 * the rule and its numbers, 412 on a stale If-Match, 422 on a reused key, 404. A retry with an
 * Idempotency-Key gets the first answer, marked `Idempotent-Replayed: true`.
 */
export function sendOutcome<V>(
  res: Response,
  outcome: SendOutcome<V>,
  what: { zh: string; en: string },
  more: (to: V) => object = () => ({}),
): void {
  switch (outcome.status) {
    case 'accepted': {
      const { replayed, ...body } = outcome;
      if (replayed) res.set('Idempotent-Replayed', 'true');
      res.set('ETag', etag(outcome.version)).json({ ...body, ...more(outcome.to) });
      return;
    }
    case 'rejected':
      if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
      throw httpProblemFrom(
        409,
        'rule-rejected',
        { zh: '不符合业务规则', en: 'Refused by a business rule' },
        outcome.rejection,
        { rule: outcome.rejection.rule, version: outcome.version, seq: outcome.seq },
      );
    case 'conflict':
      throw new HttpProblem(
        412,
        'version-mismatch',
        {
          title: '版本不一致',
          detail:
            `${what.zh}已被修改:当前版本 ${outcome.version},请求基于版本 ` +
            `${outcome.ifMatch.map((t: string) => `"${t}"`).join('、') || '(无强校验版本)'};请刷新后重试`,
        },
        {
          title: 'Version mismatch',
          detail:
            `the ${what.en} changed: it is at version ${outcome.version}, the request was based on ` +
            `${outcome.ifMatch.map((t: string) => `"${t}"`).join(', ') || '(no strong entity-tag)'}; reload and retry`,
        },
        { version: outcome.version },
      );
    case 'keyReused':
      throw keyReused(outcome.idempotencyKey);
    case 'notFound':
      throw notFound(`${what.zh} ${outcome.id}`, `${what.en} ${outcome.id}`);
  }
}

/**
 * The one mapping from a creation's outcome to HTTP, for every kind: 422 listing each problem
 * with its field (`invalid-<kind>`), 409 when the id exists, 422 for a reused key; for a
 * created one, the `Idempotent-Replayed` header of a replay. Returns the new entity's id.
 */
export function createdOrThrow(
  res: Response,
  outcome: CreateOutcome,
  what: { code: string; zh: string; en: string },
): string {
  switch (outcome.status) {
    case 'invalid': {
      const zh = outcome.problems.map((p) => `${p.field || '(input)'}: ${p.zh}`).join(';');
      const en = outcome.problems.map((p) => `${p.field || '(input)'}: ${p.en}`).join('; ');
      throw new HttpProblem(
        422,
        `invalid-${what.code}`,
        { title: `${what.zh}信息有误`, detail: zh },
        { title: `Invalid ${what.en}`, detail: en },
        { problems: outcome.problems },
      );
    }
    case 'exists':
      throw new HttpProblem(
        409,
        'exists',
        { title: '已存在', detail: `${what.zh} ${outcome.id} 已存在` },
        { title: 'Exists', detail: `${what.en} ${outcome.id} exists` },
      );
    case 'keyReused':
      throw keyReused(outcome.idempotencyKey);
    case 'created':
      if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
      return outcome.id;
  }
}
