import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Engine, MemoryStore } from '../../engine/index.ts';
import { statelyInspector } from '../../server/stately-inspector.ts';
import { until } from '../support/until.ts';

// GONGJIAN_INSPECT: Stately's WebSocket inspector, opt-in, never a cloud.

describe('GONGJIAN_INSPECT (Stately’s WebSocket inspector)', () => {
  it('is off unless set: nothing is loaded, nothing is sent', async () => {
    expect(await statelyInspector(undefined)).toBeUndefined();
    expect(await statelyInspector('')).toBeUndefined();
  });

  it('refuses what is not a ws:// or wss:// address, and Stately’s cloud', async () => {
    await expect(statelyInspector('not a url')).rejects.toThrow(/不是有效地址/);
    await expect(statelyInspector('https://stately.ai/registry/inspect')).rejects.toThrow(/ws:\/\/ or wss:\/\//);
    await expect(statelyInspector('wss://api.stately.ai/inspect')).rejects.toThrow(/Stately’s cloud/);
  });

  it('sends the live actors’ snapshots and events to the inspector at that address', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const received: { type?: string; event?: { type?: string } }[] = [];
    server.on('connection', (socket) =>
      socket.on('message', (data) => received.push(JSON.parse(String(data)) as (typeof received)[number])),
    );
    const { port } = server.address() as AddressInfo;
    const stately = (await statelyInspector(`ws://127.0.0.1:${port}`))!;
    const engine = new Engine({ store: new MemoryStore(), inspect: stately.inspect });
    await engine.open();
    try {
      await engine.create(
        'project',
        { id: 'p1', name: '晶彩电子二期', unitId: 'u1', plannedInvestment: 30000, asOf: '2022-08-01' },
        { actor: 'hq-1' },
      );
      const outcome = await engine.send(
        'project',
        'p1',
        { type: 'SIGN', contractAmount: 100, at: '2022-09-01' },
        {
          actor: 'hq-1',
        },
      );
      expect(outcome.status).toBe('accepted');
      await until(
        () => received.some((m) => m.type === '@xstate.event' && m.event?.type === 'SIGN'),
        'the SIGN event at the inspector',
      );
      expect(received.some((m) => m.type === '@xstate.snapshot')).toBe(true);
    } finally {
      stately.stop();
      await engine.close();
      server.close();
    }
  });
});
