import { ref, shallowRef } from 'vue';
import type { Role, Vocabulary } from '../../machines/index.ts';
import { api, ApiError } from './api.ts';

export interface Me {
  staff: { id: string; name: string; role: Role; unitId?: string; roleLabel: { zh: string; en: string } };
  via: 'session' | 'token';
  mustChangePassword: boolean;
}

/** Who is signed in (null: nobody, undefined: not yet known). */
export const me = ref<Me | null | undefined>(undefined);

/** Every label of the product, from the server (machines/vocabulary.ts): loaded once signed in. */
export const vocab = shallowRef<Vocabulary | null>(null);

export async function loadMe(): Promise<Me | null> {
  // Both at once (the first page waits for them): the vocabulary is refused when signed out.
  const labels = vocab.value === null ? api<Vocabulary>('/api/vocabulary').catch(() => null) : null;
  try {
    me.value = (await api<Me>('/api/session')).data;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    me.value = null;
  }
  const loaded = await labels;
  if (loaded !== null) vocab.value = loaded.data;
  if (me.value !== null && !me.value.mustChangePassword && vocab.value === null)
    vocab.value = (await api<Vocabulary>('/api/vocabulary')).data;
  return me.value;
}

export async function signIn(login: string, password: string): Promise<Me> {
  me.value = (await api<Me>('/api/session', { method: 'POST', body: { login, password } })).data;
  if (!me.value.mustChangePassword) vocab.value = (await api<Vocabulary>('/api/vocabulary')).data;
  return me.value;
}

/**
 * Ends the session on the server (waiting at most 10 s: a sign-out must never hang on a busy
 * network) and forgets who was signed in.
 */
export async function signOut(): Promise<void> {
  await api('/api/session', { method: 'DELETE', signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  me.value = null;
}

export function isRole(...roles: Role[]): boolean {
  return me.value != null && roles.includes(me.value.staff.role);
}
