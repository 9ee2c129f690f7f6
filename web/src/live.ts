import { onBeforeUnmount, ref } from 'vue';

/** A change the server journalled (`/api/stream`): what changed, by whom, to which version. */
export interface Notice {
  seq: number;
  kind: 'create' | 'event' | 'refusal';
  entity: string;
  id: string;
  actor: string;
  at: string | null;
  event: { type?: string } | null;
  version: number;
  unitId?: string;
}

type Listener = (notice: Notice) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

/** Whether the live connection is open (the header shows it). */
export const connected = ref(false);

/** Opens the one live connection of this tab (the session cookie goes with it). */
export function startLive(): void {
  if (source !== null) return;
  source = new EventSource('/api/stream');
  source.onopen = () => (connected.value = true);
  source.onerror = () => (connected.value = false);
  const deliver = (e: MessageEvent<string>) => {
    const notice = JSON.parse(e.data) as Notice;
    for (const listener of listeners) listener(notice);
  };
  for (const name of ['transition', 'refusal', 'created']) source.addEventListener(name, deliver);
  // Too far behind to catch up event by event: every page reloads its data.
  source.addEventListener('reset', () => {
    for (const listener of listeners) listener({ seq: 0, kind: 'event', entity: '*', id: '*' } as Notice);
  });
}

export function stopLive(): void {
  source?.close();
  source = null;
  connected.value = false;
}

/**
 * Calls `reload` when a change arrives that `matters` (all by default), at most every `ms`
 * milliseconds (a burst of events reloads once); stops with the component.
 */
export function onLive(reload: (notice: Notice) => void, matters: (n: Notice) => boolean = () => true, ms = 500): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: Notice | null = null;
  const listener = (notice: Notice) => {
    if (notice.entity !== '*' && !matters(notice)) return;
    last = notice;
    timer ??= setTimeout(() => {
      timer = null;
      reload(last!);
    }, ms);
  };
  listeners.add(listener);
  onBeforeUnmount(() => {
    listeners.delete(listener);
    if (timer !== null) clearTimeout(timer);
  });
}
