import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Engine, StaffDirectory } from '../../engine/index.ts';
import { createApp, type AppOptions } from '../../server/app.ts';

/** An engine and its staff served as `npm start` serves them (API and web app), on a free loopback port. */
export async function serveApp(
  engine: Engine,
  staff: StaffDirectory,
  options: Pick<AppOptions, 'sharedSessions'> = {},
): Promise<{ base: string; stop(): Promise<void> }> {
  const made = createApp({ engine, staff, logger: pino({ level: 'silent' }), ...options });
  const server = made.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      made.closeStreams();
      server.close();
      await engine.close();
    },
  };
}
