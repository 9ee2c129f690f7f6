import { Router } from 'express';
import { z } from 'zod';
import { ROLES, reject } from '../../machines/index.ts';
import { safeId, StoreError, type CampaignService, type StaffDirectory } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { forbidIf, HttpProblem } from '../http-problem.ts';
import { parseOr422, requireJson } from '../http-util.ts';
import { unknownUnit } from '../references.ts';
import type { SessionStore } from '../sessions.ts';

export const StaffCreateSchema = z
  .strictObject({
    login: safeId,
    name: z.string().min(1).max(100),
    role: z.enum(ROLES),
    unitId: safeId.optional(),
  })
  .meta({ id: 'StaffCreate', example: { login: 'liu-ny', name: '刘年勇', role: 'unit', unitId: 'economic-zone' } });

export const StaffUpdateSchema = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    unitId: safeId.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .meta({ id: 'StaffUpdate', example: { role: 'unit', unitId: 'economic-zone' } });

/** How a refusal of the staff directory reads over HTTP. */
const STATUS: Record<string, number> = {
  noSuchStaff: 404,
  staffExists: 409,
  lastHq: 409,
  disableSelf: 409,
};

function asHttp(err: unknown): never {
  if (!(err instanceof StoreError) || err.code === 'journalWrite') throw err;
  throw new HttpProblem(
    STATUS[err.code] ?? 422,
    err.code,
    { title: '无法保存人员变更', detail: err.zh },
    { title: 'Staff change refused', detail: err.message },
  );
}

/**
 * `/api/staff` — the campaign office (hq) manages who may sign in: list, add (a generated
 * password shown once), change name, role and unit, disable and enable, reset a password; and
 * reads the audit journal of every such change. Disabling or resetting ends the member's
 * sessions at once.
 */
export function staffRoutes(staff: StaffDirectory, sessions: SessionStore, campaigns: CampaignService): Router {
  const router = Router();
  router.use((_req, res, next) => {
    forbidIf(
      staffOf(res).role === 'hq'
        ? null
        : reject('role', '只有三高办可以管理人员', 'only the campaign office (hq) manages staff'),
    );
    next();
  });
  const checkUnit = (unitId: string | null | undefined) => {
    if (typeof unitId === 'string' && !campaigns.unitKnown(unitId)) throw unknownUnit('unitId', unitId, campaigns);
  };

  router.get('/', (_req, res) => {
    res.json({ staff: staff.accounts() });
  });

  router.get('/audit', async (_req, res) => {
    const entries = await staff.auditEntries().catch((err: unknown) => {
      if (!(err instanceof StoreError)) throw err;
      // Not the caller's fault, but they must hear exactly what is wrong: the journal was altered.
      throw new HttpProblem(
        500,
        err.code,
        { title: '人员变更记录受损', detail: err.zh },
        { title: 'Staff audit journal damaged', detail: err.message },
      );
    });
    res.json({ entries: entries.reverse() });
  });

  router.post('/', async (req, res) => {
    requireJson(req);
    const input = parseOr422(StaffCreateSchema, req.body);
    checkUnit(input.unitId);
    const created = await staff.createAccount(input, staffOf(res).id).catch(asHttp);
    res
      .status(201)
      .location(`/api/staff/${encodeURIComponent(created.staff.id)}`)
      .json({ staff: created.staff, password: created.password });
  });

  router.patch('/:id', async (req, res) => {
    requireJson(req);
    const change = parseOr422(StaffUpdateSchema, req.body);
    checkUnit(change.unitId);
    const actor = staffOf(res).id;
    const { disabled, ...member } = change;
    let account =
      Object.keys(member).length > 0
        ? await staff.updateAccount(req.params.id, member, actor).catch(asHttp)
        : undefined;
    if (disabled !== undefined) {
      account = await staff.setDisabled(req.params.id, disabled, actor).catch(asHttp);
      if (disabled) await sessions.endFor(req.params.id);
    }
    account ??= staff.account(req.params.id);
    if (account === undefined)
      asHttp(new StoreError('noSuchStaff', `no staff member ${req.params.id}`, `没有人员 ${req.params.id}`));
    res.json({ staff: account });
  });

  router.post('/:id/password', async (req, res) => {
    const { password } = await staff.resetPassword(req.params.id, staffOf(res).id).catch(asHttp);
    await sessions.endFor(req.params.id);
    res.json({ staff: staff.account(req.params.id), password });
  });
  return router;
}
