import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { pino } from 'pino';
import { Engine } from '../engine/index.ts';
import { createApp } from '../server/app.ts';
import { loadDemo } from '../server/demo.ts';
import { FileStore, StaffDirectory } from '../store/index.ts';
import { dataDir } from './data-dir.ts';

interface ServeOptions {
  data?: string;
  port?: string;
  demo: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and pages on the embedded store / 启动服务')
    .option('--data <dir>', 'data directory (default: $GONGJIAN_DATA or ./data)')
    .option('--port <port>', 'port (default: $PORT or 3000)')
    .option('--no-demo', 'do not load the demo campaign into an empty data directory')
    .action(serve);
}

async function serve(options: ServeOptions): Promise<void> {
  const logger = pino({ name: 'gongjian', redact: ['req.headers.authorization', 'req.headers.cookie'] });
  const dir = dataDir(options.data);
  const engine = new Engine({ store: new FileStore(dir, { onWarning: (message) => logger.warn(message) }) });
  await engine.open();
  const staff = new StaffDirectory(dir);
  await staff.load();
  if (staff.size === 0) {
    const { token } = await staff.create({ id: 'hq-1', name: '三高办管理员', role: 'hq' });
    // Shown once, to the terminal, never to the log.
    process.stderr.write(
      `\n  首次启动:已创建三高办(hq)令牌,只显示这一次,请妥善保存:\n  First start: an hq token was created. It is shown only this once:\n\n    ${token}\n\n  More staff: npx gongjian token create --role unit --unit <unit> --name <name> --data ${dir}\n\n`,
    );
  }
  if (options.demo && engine.listProjects().length === 0) {
    const loaded = await loadDemo(engine);
    logger.info(loaded, 'loaded the demo campaign into an empty data directory');
  }
  void engine.warmUp().catch((err: unknown) => logger.error({ err }, 'warm-up failed'));
  const { app, closeStreams } = createApp({ engine, staff, logger });
  const port = Number(options.port ?? process.env.PORT ?? 3000);
  const server: Server = app.listen(port, () => {
    const bound = (server.address() as AddressInfo).port;
    logger.info({ port: bound, dataDir: dir }, `serving on http://localhost:${bound} (API reference: /api/docs)`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests, checkpointing the store');
    closeStreams();
    server.close(() => {
      engine
        .close()
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          logger.error({ err }, 'checkpoint on shutdown failed (the journal has everything)');
          process.exit(1);
        });
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
