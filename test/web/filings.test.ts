import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService, Engine, FileStore, StaffDirectory } from '../../engine/index.ts';
import { ARTIFACTS, launchBrowser, signedInPage } from '../support/browser.ts';
import { fileLifetimeTempDir } from '../support/temp-dir.ts';
import { serveApp } from '../support/web-server.ts';

// 填报 → 审核 → 更正 in the browser: a unit files a clearance with a site photo, the natural
// resources bureau returns it with a reason, the unit resubmits, the bureau approves, and the
// campaign office corrects the amount — both records staying in the project's timeline.

const HQ = { login: 'hq-review', password: 'campaign office 9' };
const UNIT = { login: 'u1-review', password: 'town staff pass 9' };
const NR = { login: 'nr-review', password: 'land bureau pass 9' };
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** A real (tiny, green) PNG: what a phone photo is to the server — judged by its content. */
function png(): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(
    Array.from({ length: 16 }, () => Buffer.from([0, ...Array(16).fill([40, 160, 60]).flat()])),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let browser: Browser | null = null;
let served: Awaited<ReturnType<typeof serveApp>> | undefined;
let base = '';
let engine: Engine;
let files = '';

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser === null) return;
  const dir = await fileLifetimeTempDir();
  files = await fileLifetimeTempDir();
  await writeFile(join(files, '开工照片.png'), png());
  await writeFile(join(files, 'setup.jpg'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 7)]));
  engine = new Engine({ store: new FileStore(dir) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.createAccount({ login: HQ.login, name: '三高办', role: 'hq', password: HQ.password });
  await staff.createAccount({
    login: UNIT.login,
    name: '一号镇经办员',
    role: 'unit',
    unitId: 'u1',
    password: UNIT.password,
  });
  await staff.createAccount({ login: NR.login, name: '自然资源局', role: 'naturalResources', password: NR.password });
  const campaigns = new CampaignService(engine);
  await campaigns.create(
    {
      id: 'review-run',
      name: '审核百日攻坚',
      start: today,
      days: 40,
      units: [{ id: 'u1', name: '一号镇', group: 'township' }],
      targets: {},
      review: { events: { REPORT_CLEARANCE: ['naturalResources', 'hq'] } },
    },
    HQ.login,
  );
  await campaigns.send('review-run', { type: 'START', at: today }, HQ.login);
  await engine.create(
    'project',
    {
      id: 'p1',
      name: '一号镇物流园',
      unitId: 'u1',
      plannedInvestment: 9000,
      stage: 'signed',
      land: { requiredMu: 10, houses: 1 },
    },
    { actor: HQ.login },
  );
  served = await serveApp(engine, staff);
  base = served.base;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

const signedIn = (who: { login: string; password: string }, path: string) => signedInPage(browser!, base, who, path);

describe('filings, review and corrections in the browser', { timeout: 120_000 }, () => {
  it('files with a photo, is returned with a reason, resubmits, is approved, and is corrected by hq', async (ctx) => {
    if (browser === null) return ctx.skip();
    // The unit files the clearance with a site photo; an .exe named .jpg is refused by content.
    const unit = await signedIn(UNIT, '/projects/p1');
    const form = unit.getByTestId('action-REPORT_CLEARANCE');
    await expect.poll(() => form.getByTestId('review-REPORT_CLEARANCE').textContent()).toContain('自然资源局');
    await form.getByTestId('evidence-REPORT_CLEARANCE-file').setInputFiles(join(files, 'setup.jpg'));
    await expect.poll(() => form.getByTestId('evidence-REPORT_CLEARANCE-error').textContent()).toContain('PDF');
    await form.getByTestId('evidence-REPORT_CLEARANCE-file').setInputFiles(join(files, '开工照片.png'));
    await expect.poll(() => form.getByTestId('evidence-REPORT_CLEARANCE-list').textContent()).toContain('开工照片.png');
    await form.locator('[data-testid="form-REPORT_CLEARANCE-mu"] input').fill('9');
    await form.locator('[data-testid="form-REPORT_CLEARANCE-houses"] input').fill('1');
    await form.getByTestId('form-REPORT_CLEARANCE-submit').click();
    await expect.poll(() => unit.getByTestId('form-REPORT_CLEARANCE-outcome').textContent()).toContain('已提交审核');
    await expect.poll(() => unit.getByTestId('project-filings').textContent()).toContain('待审核');
    expect(engine.get('project', 'p1')!.context.land?.clearedMu ?? 0).toBe(0);
    await unit.screenshot({ path: `${ARTIFACTS}web-filing-form.png`, fullPage: true });

    // The bureau's queue: the filing with its photo; returned with a reason.
    const nr = await signedIn(NR, '/filings');
    const [filing] = engine.list('filing');
    expect(filing).toBeDefined();
    const row = nr.getByTestId(`filing-${filing!.id}`);
    await expect.poll(() => row.textContent()).toContain('9');
    await expect
      .poll(() =>
        row.locator('img.gj-thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(16);
    await nr.screenshot({ path: `${ARTIFACTS}web-filings-queue.png`, fullPage: true });
    await nr.getByTestId(`return-${filing!.id}`).click();
    await nr.getByTestId('return-reason').fill('亩数与丈量表不符,请核实');
    await nr.getByTestId('return-submit').click();
    await expect.poll(() => engine.get('filing', filing!.id)!.value).toBe('returned');

    // The unit sees why, and resubmits; the bureau approves: now it counts.
    await unit.goto(`${base}/filings?state=returned`);
    await expect.poll(() => unit.getByTestId(`filing-${filing!.id}`).textContent()).toContain('亩数与丈量表不符');
    await unit.getByTestId(`resubmit-${filing!.id}`).click();
    await expect.poll(() => engine.get('filing', filing!.id)!.value).toBe('resubmitted');
    await nr.goto(`${base}/filings`);
    await nr.getByTestId(`approve-${filing!.id}`).click();
    await expect.poll(() => nr.getByTestId('filings-notice').textContent()).toContain('已审核通过');
    expect(engine.get('project', 'p1')!.context.land?.clearedMu).toBe(9);

    // The campaign office corrects the amount from the timeline; both records stay.
    const hq = await signedIn(HQ, '/projects/p1');
    const applied = (await engine.history('project', 'p1')).find((e) => e.kind === 'event')!;
    await hq.getByTestId(`correct-${applied.seq}`).click();
    const dialog = hq.getByTestId('correction-dialog');
    await dialog.locator('[data-testid="correction-mu"] input').fill('8');
    await dialog.getByTestId('correction-reason').fill('复核丈量为 8 亩');
    await dialog.getByTestId('correction-submit').click();
    await expect.poll(() => engine.get('project', 'p1')!.context.land?.clearedMu).toBe(8);
    await expect.poll(() => hq.getByTestId(`corrected-${applied.seq}`).textContent()).toContain('已更正');
    const timeline = await hq.getByTestId('timeline').textContent();
    expect(timeline).toContain(`更正第 ${applied.seq} 条为`);
    expect(timeline).toContain('复核丈量为 8 亩');
    expect(timeline).toContain('经审核');
    // Who acted, by name: not the staff ids.
    expect(timeline).toContain('三高办');
    expect(timeline).toContain('自然资源局');
    expect(timeline).not.toContain('hq-review');
    await hq.getByTestId('timeline').screenshot({ path: `${ARTIFACTS}web-correction.png` });
  });
});
