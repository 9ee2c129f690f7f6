import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { statelyInspector } from '../server/stately-inspector.ts';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CampaignService, Engine, parseScenario, simulate } from '../engine/index.ts';
import { VISIBILITIES, type Visibility } from '../machines/index.ts';
import { packageRoot } from '../server/assets.ts';
import { createApp } from '../server/app.ts';
import { LogSink, serviceLogger } from '../server/log-sink.ts';
import { FileStore, PgStore, StaffDirectory, StaffFile, type Store } from '../engine/index.ts';
import { dataDir } from './data-dir.ts';
import { parseStoreUrl } from './store-url.ts';
import { ensureWebBuilt } from './web-build.ts';

const DEMO_SCENARIO = join(packageRoot(import.meta.dirname), 'scenarios/chaling-2022.json');

interface ServeOptions {
  data?: string;
  store?: string;
  port?: string;
  demo: boolean;
  futureToleranceDays?: string;
  trustProxy?: string;
  visibility?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and pages on the embedded store / 启动服务')
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .option('--port <port>', 'port (default: $PORT or 3000)')
    .option(
      '--store <url>',
      'keep the journal and records in PostgreSQL instead of the data directory: ' +
        'postgres://user@host/db[?schema=name] (default: $GONGJIAN_STORE): journal, records, staff, sessions in it',
    )
    .option('--no-demo', 'do not load the demo campaign into an empty data directory')
    .option(
      '--visibility <who-reads-what>',
      'county: every member reads everything (default, $GONGJIAN_VISIBILITY); unit: unit staff read only their own ' +
        'unit',
    )
    .option(
      '--trust-proxy <value>',
      'behind a reverse proxy: its address, or a hop count, so client addresses (rate limits, logs) are real; see ' +
        'Express "trust proxy"',
    )
    .option(
      '--future-tolerance-days <n>',
      'accept events dated up to n days after today, Asia/Shanghai (default: $GONGJIAN_FUTURE_TOLERANCE_DAYS or 0)',
    )
    .action(serve);
}

async function serve(options: ServeOptions): Promise<void> {
  // Every option is checked before anything is loaded or written.
  const visibility = options.visibility ?? process.env.GONGJIAN_VISIBILITY ?? 'county';
  if (!(VISIBILITIES as readonly string[]).includes(visibility))
    throw new Error(
      `--visibility must be one of ${VISIBILITIES.join(', ')} (got ${visibility}) / 可见范围须为 county 或 unit`,
    );
  const tolerance = options.futureToleranceDays ?? process.env.GONGJIAN_FUTURE_TOLERANCE_DAYS ?? '0';
  if (!/^\d{1,3}$/.test(tolerance))
    throw new Error(
      `--future-tolerance-days must be a whole number of days, 0–999 (got ${tolerance}) / 须为 0–999 的整数天数`,
    );
  // Logging must never block or kill the service (a full disk, a stalled pipe): see LogSink.
  const logSink = new LogSink(1);
  const logger = serviceLogger(logSink);
  // The terminal may be gone or its file full: a failed banner must not take the service down.
  process.stderr.on('error', () => {});
  const dir = dataDir(options.data);
  await ensureWebBuilt((message) => logger.info(message)).catch((err: unknown) =>
    // The API serves without its pages; / says how to build them.
    logger.error({ err }, 'the web app could not be built; serving the API only'),
  );
  const storeUrl = options.store ?? process.env.GONGJIAN_STORE;
  const makeStore = (sync: 'commit' | 'close'): Store =>
    storeUrl === undefined || storeUrl === ''
      ? new FileStore(dir, { onWarning: (message) => logger.warn(message), sync })
      : (() => {
          const { url, ...options } = parseStoreUrl(storeUrl);
          return new PgStore(url, options);
        })();
  const empty =
    storeUrl === undefined || storeUrl === ''
      ? await stat(join(dir, 'journal.jsonl')).then(
          () => false,
          () => true,
        )
      : await isEmpty(makeStore('commit'));
  if (options.demo && empty) {
    // The demo is the Chaling campaign, simulated into this directory's store like any other data,
    // with starts and clearances filed and reviewed (填报 → 审核) as a county would run it: its
    // figures are the article's all the same (test/campaign/review.test.ts).
    const scenario = parseScenario(JSON.parse(await readFile(DEMO_SCENARIO, 'utf8')));
    const store = makeStore('close');
    try {
      const { engine: demo, counts } = await simulate(scenario, {
        // The demo owns its store until it closes: fdatasync'd once, at the end.
        store,
        review: { events: { START_CONSTRUCTION: ['housing', 'hq'], REPORT_CLEARANCE: ['naturalResources', 'hq'] } },
        approveAfterDays: 0,
      });
      await demo.close();
      logger.info(
        { scenario: 'scenarios/chaling-2022.json', ...counts },
        'empty data directory: loaded the demo campaign (茶陵县"八未"百日攻坚); report at ' +
          '/api/campaigns/chaling-2022/report?format=html',
      );
    } catch (err) {
      // Several nodes started at once on one empty database: one of them loads the demo.
      await store.close().catch(() => {});
      if (storeUrl === undefined || storeUrl === '' || (await isEmpty(makeStore('commit')))) throw err;
      logger.info('another node is loading the demo campaign into this database');
    }
  }
  const stately = await statelyInspector(process.env.GONGJIAN_INSPECT);
  if (stately !== undefined)
    logger.warn(
      { url: stately.url },
      'GONGJIAN_INSPECT: live actors are sent to the Stately inspector at this address',
    );
  const store = makeStore('commit');
  const engine = new Engine({
    store,
    futureToleranceDays: Number(tolerance),
    inspect: stately?.inspect,
  });
  await engine.open({
    // A long replay (a checkpoint lost, or far behind) says how far it is.
    onReplay: (entries) =>
      logger.info(
        { entries },
        `replaying the journal: ${entries.toLocaleString('en')} entries… / 正在重放日志:已 ${entries.toLocaleString('en')} 条…`,
      ),
  });
  // On PostgreSQL, staff and sign-in sessions are in the database too: every node shares them.
  const staff = new StaffDirectory(store instanceof PgStore ? store.staffStorage() : dir);
  await staff.load();
  if (store instanceof PgStore && staff.size === 0) {
    // An earlier release kept the nodes' staff in staff.json: taken into the database once.
    const file = new StaffFile(dir);
    await file.load();
    if (await store.staffStorage().adopt(file.rows(), await file.auditLines())) {
      await staff.load();
      logger.warn(
        { from: file.location, staff: staff.size },
        'staff.json taken into the database: staff and sessions are shared by the nodes from now on',
      );
    }
  }
  const first = staff.size === 0 ? await firstAccount(staff) : null;
  // How `gongjian user` finds this directory, for the hints below.
  const where = store instanceof PgStore ? '--store <url of this node>' : `--data ${dir}`;
  if (first !== null) {
    const { token, password } = first;
    // Shown once, to the terminal, never to the log.
    process.stderr.write(
      [
        '',
        '  首次启动:已创建三高办(hq)账号,以下内容只显示这一次,请妥善保存:',
        '  First start: an hq account was created. What follows is shown only this once:',
        '',
        '  网页登录 / Sign in to the web app:',
        `    用户名 / user name:  hq-1`,
        `    一次性密码 / one-time password:  ${password}   (首次登录须修改 / change it at first sign-in)`,
        '',
        '  API 令牌 / API token:',
        `    ${token}`,
        '',
        '  More staff: in the web app (人员管理), or',
        `    npx gongjian user create --login <l> --name <n> --role unit --unit <u> ${where}`,
        '',
        '',
      ].join('\n'),
    );
  } else if (!staff.accounts().some((a) => a.hasPassword && a.role === 'hq' && a.disabledAt === null)) {
    process.stderr.write(
      '\n  没有可登录网页的三高办账号 / no hq member can sign in to the web app yet:\n' +
        `    npx gongjian user password <id> ${where}\n\n`,
    );
  }
  // Complete any ladder a crash left behind its campaign's last supervision.
  const campaigns = new CampaignService(engine);
  for (const campaign of engine.list('campaign')) {
    const recorded = await campaigns.reconcile(campaign.id, 'system');
    if (recorded > 0)
      logger.warn({ campaign: campaign.id, recorded }, 'recorded unit assessments missing after a restart');
  }
  void engine.warmUp().catch((err: unknown) => logger.error({ err }, 'warm-up failed'));
  const trustProxy =
    options.trustProxy === undefined
      ? false
      : /^\d+$/.test(options.trustProxy)
        ? Number(options.trustProxy)
        : options.trustProxy;
  const { app, closeStreams } = createApp({
    engine,
    staff,
    logger,
    logStats: () => logSink.stats,
    trustProxy,
    visibility: visibility as Visibility,
    ...(store instanceof PgStore ? { sharedSessions: store.sessionStorage() } : {}),
  });
  const port = Number(options.port ?? process.env.PORT ?? 3000);
  const server: Server = app.listen(port);
  server.once('listening', () => {
    const bound = (server.address() as AddressInfo).port;
    logger.info({ port: bound, dataDir: dir }, `serving on http://localhost:${bound} (API reference: /api/docs)`);
  });
  server.once('error', (err: NodeJS.ErrnoException) => {
    const why =
      err.code === 'EADDRINUSE'
        ? `端口 ${port} 已被占用 / port ${port} is already in use`
        : `${err.code ?? ''} ${err.message}`;
    process.stderr.write(`✗ 无法启动服务 / cannot serve: ${why}\n`);
    void engine.close().finally(() => process.exit(1));
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests, checkpointing the store');
    closeStreams();
    stately?.stop();
    server.close(() => {
      void engine
        .close()
        .then(
          () => 0,
          (err: unknown) => {
            logger.error({ err }, 'checkpoint on shutdown failed (the journal has everything)');
            return 1;
          },
        )
        .then(async (code) => {
          await logSink.flush(1000);
          process.exit(code);
        });
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Whether a store holds no journal entry yet (opened and closed again). */
async function isEmpty(store: Store): Promise<boolean> {
  await store.open();
  const empty = store.position() === 0;
  await store.close();
  return empty;
}

/**
 * The hq account of a first start, or null when another process sharing the data directory (a
 * second node started at the same moment) made it first.
 */
async function firstAccount(staff: StaffDirectory): Promise<{ token: string; password: string } | null> {
  try {
    const { token } = await staff.create({ id: 'hq-1', name: '三高办管理员', role: 'hq' });
    const { password } = await staff.resetPassword('hq-1');
    return { token, password };
  } catch (err) {
    if (staff.size > 0) return null;
    throw err;
  }
}
