import type { InspectionEvent, Observer } from 'xstate';

/**
 * Stately's inspector, opt-in: `GONGJIAN_INSPECT=ws://host:port` connects the engine's live
 * actors to a WebSocket inspector (`@statelyai/inspect`'s `createWebSocketInspector`, the
 * maintained successor of `@xstate/inspect`, which serves XState v4 only), so a developer with
 * Stately's tools can attach. Only `ws:`/`wss:` addresses are taken: never
 * `createSkyInspector`, which ships every snapshot — government project data — to a
 * third-party cloud. Unset: nothing is loaded, nothing is sent.
 */
export async function statelyInspector(
  url: string | undefined,
): Promise<{ inspect: Observer<InspectionEvent>; stop(): void; url: string } | undefined> {
  if (url === undefined || url.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`GONGJIAN_INSPECT is not an address: "${url}" / 不是有效地址,应为 ws://主机:端口`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw new Error(
      `GONGJIAN_INSPECT must be a ws:// or wss:// address (got ${parsed.protocol}) / 须为 ws:// 或 wss:// 地址`,
    );
  if (/(^|\.)stately\.ai$/i.test(parsed.hostname))
    throw new Error(
      'GONGJIAN_INSPECT may not point at Stately’s cloud: project data stays on this network / ' +
        '不得把项目数据发往外部云服务',
    );
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const inspector = createWebSocketInspector({ url: parsed.href, autoStart: true });
  return { inspect: inspector.inspect, stop: () => inspector.stop(), url: parsed.href };
}
