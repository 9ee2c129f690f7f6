import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TYPES,
  FILING_EVENT_LABELS,
  FILING_STATE_LABELS,
  ROLE_LABELS,
  isFilingOverdue,
  maySee,
  sniffAttachmentType,
  type Attachment,
  type FilingContext,
  type FilingState,
  type StaffMember,
  type Visibility,
} from '../../machines/index.ts';
import { KINDS, type Engine, type EntityView, type FilingService, type TogetherOutcome } from '../../engine/index.ts';
import { staffOf } from '../auth.ts';
import { etag, idempotencyKey, ifMatch, parseOr422, requireJson } from '../http-util.ts';
import { forbidIf, httpProblemFrom, HttpProblem } from '../http-problem.ts';
import { notFound, sendOutcome } from '../outcome.ts';
import { FilingListQuerySchema, FilingRouteEventSchema } from '../schemas.ts';

const filingNotFound = (id: string) => notFound(`填报 ${id}`, `filing ${id}`);

/** A filing as the API shows it: its state and labels, the project's name, overdue or not. */
export function filingView(
  engine: Engine,
  filing: EntityView<FilingState, FilingContext>,
  // The county's today by the engine's clock (the one deadlines are counted against).
  day = engine.eventClock().today,
) {
  const project = engine.tags('project', filing.context.projectId);
  return {
    ...filing.context,
    id: filing.id,
    version: filing.version,
    state: filing.value,
    stateLabel: FILING_STATE_LABELS[filing.value],
    projectName: project?.name ?? filing.context.projectId,
    overdue: isFilingOverdue(filing.value, filing.context, day),
    reviewerLabels: filing.context.reviewers.map((r) => ROLE_LABELS[r]),
  };
}

/** Evidence a request names, looked up in the store: its type by content, its size; unknown → 422. */
export async function resolveAttachments(
  engine: Engine,
  refs: readonly { hash: string; name: string }[] | undefined,
): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const [i, ref] of (refs ?? []).entries()) {
    const bytes = await engine.store.getBlob(ref.hash);
    const type = bytes === undefined ? null : sniffAttachmentType(bytes);
    if (bytes === undefined || type === null)
      throw new HttpProblem(
        422,
        'unknown-attachment',
        { title: '附件不存在', detail: `attachments.${i}.hash:附件 ${ref.hash} 未上传,请先上传(POST /api/blobs)` },
        {
          title: 'Unknown attachment',
          detail: `attachments.${i}.hash: no blob ${ref.hash}; upload it first (POST /api/blobs)`,
        },
        { field: `attachments.${i}.hash` },
      );
    out.push({ hash: ref.hash, name: ref.name, type, size: bytes.length });
  }
  return out;
}

/** The one mapping from a linked change (a filing with its project) to HTTP. */
export function togetherProblem(outcome: Exclude<TogetherOutcome, { status: 'accepted' }>): HttpProblem {
  switch (outcome.status) {
    case 'rejected':
      return httpProblemFrom(
        409,
        'rule-rejected',
        { zh: '不符合业务规则', en: 'Refused by a business rule' },
        outcome.rejection,
        { rule: outcome.rejection.rule, entity: outcome.kind, id: outcome.id, seq: outcome.seq },
      );
    case 'invalid': {
      const zh = outcome.problems.map((p) => `${p.field}: ${p.zh}`).join(';');
      const en = outcome.problems.map((p) => `${p.field}: ${p.en}`).join('; ');
      return new HttpProblem(
        422,
        'invalid-filing',
        { title: '填报信息有误', detail: zh },
        { title: 'Invalid filing', detail: en },
        { problems: outcome.problems },
      );
    }
    case 'exists':
      return new HttpProblem(
        409,
        'exists',
        { title: '已存在', detail: `填报 ${outcome.id} 已存在` },
        { title: 'Exists', detail: `filing ${outcome.id} exists` },
      );
    case 'notFound':
      return notFound(`${outcome.id}`, `${outcome.id}`);
    case 'conflict':
      return new HttpProblem(
        412,
        'version-mismatch',
        {
          title: '版本不一致',
          detail: `${outcome.id} 已被修改:当前版本 ${outcome.version},请求基于版本 ${outcome.ifMatch.join('、')};请刷新后重试`,
        },
        {
          title: 'Version mismatch',
          detail:
            `${outcome.id} changed: it is at version ${outcome.version}, the request was based on ` +
            `${outcome.ifMatch.join(', ')}; reload and retry`,
        },
        { version: outcome.version },
      );
    case 'keyReused':
      return new HttpProblem(
        422,
        'idempotency-key-reused',
        { title: '幂等键重复使用', detail: `Idempotency-Key「${outcome.idempotencyKey}」已用于另一个请求` },
        {
          title: 'Idempotency key reused',
          detail: `Idempotency-Key "${outcome.idempotencyKey}" was used for a different request`,
        },
      );
  }
}

/** A filing id: from the Idempotency-Key when there is one (a retry names the same filing), else random. */
export function filingIdFor(staffId: string, key: string | undefined): string {
  const seed = key === undefined ? `${staffId} ${Date.now()} ${Math.random()}` : `${staffId} ${key}`;
  return `F${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
}

/** Reads a body of at most `limit` bytes; more is 413 (the rest is not read). */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(size);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(size: number): HttpProblem {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new HttpProblem(
    413,
    'attachment-too-large',
    {
      title: '附件过大',
      detail: `附件 ${mb(size)} MB,超过 ${mb(ATTACHMENT_LIMITS.bytes)} MB 上限;请压缩照片或拆分文件`,
    },
    {
      title: 'Attachment too large',
      detail: `the attachment is ${mb(size)} MB, over the ${mb(ATTACHMENT_LIMITS.bytes)} MB limit; compress it`,
    },
    { limit: ATTACHMENT_LIMITS.bytes },
  );
}

/**
 * 填报 → 审核 over HTTP: reviewers' queues (`GET /api/filings`), a filing with its evidence, the
 * review events (APPROVE, RETURN, RESUBMIT, WITHDRAW), evidence uploads (`POST /api/blobs`).
 * Filing itself is `POST /api/projects/:id/filings` (routes/projects.ts).
 */
export function filingRoutes(engine: Engine, filings: FilingService, visibility: Visibility): Router {
  const router = Router();
  const visible = (staff: StaffMember, filing: { unitId: string }) => maySee(staff, filing.unitId, visibility);
  const visibleOr404 = (id: string, staff: StaffMember) => {
    const filing = engine.get('filing', id);
    if (filing === undefined || !visible(staff, filing.context)) throw filingNotFound(id);
    return filing;
  };

  router.get('/', (req, res) => {
    const q = parseOr422(FilingListQuerySchema, req.query, 'query');
    const staff = staffOf(res);
    const day = engine.eventClock().today;
    const rows = filings
      .list({ ...q, overdue: q.overdue === '1' || q.overdue === 'true' }, day)
      .filter((f) => visible(staff, f.context))
      .map((f) => filingView(engine, f, day));
    res.json({ filings: rows, total: rows.length });
  });

  router.get('/:id', (req, res) => {
    const staff = staffOf(res);
    const filing = visibleOr404(req.params.id, staff);
    const events = KINDS.filing.options(filing).map((option) => {
      const reason = KINDS.filing.forbidden(staff, option.type, filing) ?? option.blockedBy;
      return {
        type: option.type,
        label: FILING_EVENT_LABELS[option.type as keyof typeof FILING_EVENT_LABELS],
        allowed: reason === null,
        reason,
      };
    });
    res.set('ETag', etag(filing.version)).json({ ...filingView(engine, filing), events });
  });

  router.get('/:id/history', async (req, res) => {
    visibleOr404(req.params.id, staffOf(res));
    res.json({ filingId: req.params.id, entries: await engine.history('filing', req.params.id) });
  });

  // Evidence is served only to those who may read the project it was filed on.
  router.get('/:id/attachments/:hash', async (req, res) => {
    const staff = staffOf(res);
    const filing = engine.get('filing', req.params.id);
    if (filing === undefined) throw filingNotFound(req.params.id);
    const projectUnit = engine.tags('project', filing.context.projectId)?.unitId;
    if (!visible(staff, filing.context) || !maySee(staff, projectUnit, visibility))
      throw new HttpProblem(
        403,
        'forbidden',
        { title: '无权查看', detail: `附件属于 ${filing.context.unitId} 的项目,只有能查看该项目的人可以查看` },
        {
          title: 'Forbidden',
          detail: `the evidence belongs to a project of ${filing.context.unitId}, which you may not read`,
        },
      );
    const all = [...filing.context.attachments];
    const attachment = all.find((a) => a.hash === req.params.hash);
    if (attachment === undefined) throw notFound(`附件 ${req.params.hash}`, `attachment ${req.params.hash}`);
    const bytes = await engine.store.getBlob(attachment.hash);
    if (bytes === undefined) throw notFound(`附件 ${req.params.hash}`, `attachment ${req.params.hash}`);
    res
      .type(attachment.type)
      .set('Cache-Control', 'private, max-age=31536000, immutable')
      .set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
      .set('X-Content-Type-Options', 'nosniff')
      .send(Buffer.from(bytes));
  });

  router.post('/:id/events', async (req, res) => {
    const staff = staffOf(res);
    const filing = visibleOr404(req.params.id, staff);
    // Who may send it nothing hears so before the body is read: a unit why it is not the filer,
    // anyone else why they do not review it.
    if (['APPROVE', 'RETURN', 'RESUBMIT', 'WITHDRAW'].every((t) => KINDS.filing.forbidden(staff, t, filing) !== null))
      forbidIf(KINDS.filing.forbidden(staff, staff.role === 'unit' ? 'RESUBMIT' : 'APPROVE', filing));
    requireJson(req);
    const body = parseOr422(FilingRouteEventSchema, req.body);
    forbidIf(KINDS.filing.forbidden(staff, body.type, filing));
    let attachments: Attachment[] | undefined;
    let event: { type: string; at: string; [field: string]: unknown } = body;
    if (body.type === 'RESUBMIT') {
      const project = engine.get('project', filing.context.projectId)!;
      forbidIf(KINDS.project.forbidden(staff, body.event.type, project, body.event));
      attachments = body.attachments === undefined ? undefined : await resolveAttachments(engine, body.attachments);
      const { attachments: _refs, ...rest } = body;
      event = attachments === undefined ? rest : { ...rest, attachments };
    }
    const options = { actor: staff.id, ifMatch: ifMatch(req), idempotencyKey: idempotencyKey(req) };
    const outcome = await filings.review(req.params.id, event, options, attachments);
    if ('steps' in outcome || outcome.status === 'invalid' || outcome.status === 'exists' || 'step' in outcome) {
      if (outcome.status !== 'accepted')
        throw togetherProblem(outcome as Exclude<TogetherOutcome, { status: 'accepted' }>);
      if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
      const now = engine.get('filing', req.params.id)!;
      res.set('ETag', etag(now.version)).json({ status: 'accepted', ...filingView(engine, now), steps: outcome.steps });
      return;
    }
    sendOutcome(res, outcome, { zh: '填报', en: 'filing' }, () => {
      const now = engine.get('filing', req.params.id)!;
      return filingView(engine, now);
    });
  });

  return router;
}

/** `POST /api/blobs`: one piece of evidence, its type judged by content; 201 with its hash. */
export function blobRoutes(engine: Engine): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const staff = staffOf(res);
    forbidIf(KINDS.filing.createForbidden(staff));
    const bytes = await readBody(req, ATTACHMENT_LIMITS.bytes);
    if (bytes.length === 0)
      throw new HttpProblem(
        400,
        'empty-body',
        { title: '请求格式错误', detail: '附件为空' },
        { title: 'Malformed request', detail: 'the attachment is empty' },
      );
    const type = sniffAttachmentType(bytes);
    if (type === null)
      throw new HttpProblem(
        415,
        'attachment-type',
        {
          title: '附件类型不支持',
          detail: `按内容判断不是 JPEG、PNG、WebP 照片或 PDF(与文件名无关);可上传:${ATTACHMENT_TYPES.join('、')}`,
        },
        {
          title: 'Unsupported attachment',
          detail:
            'by its content this is not a JPEG, PNG or WebP photo or a PDF (whatever its name); ' +
            `accepted: ${ATTACHMENT_TYPES.join(', ')}`,
        },
        { accepted: ATTACHMENT_TYPES },
      );
    const hash = await engine.store.putBlob(bytes);
    res.status(201).json({ hash, type, size: bytes.length });
  });
  return router;
}
