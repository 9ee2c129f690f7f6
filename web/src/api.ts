import { lang } from './i18n.ts';

/** An RFC 9457 problem as the API sends it, in both languages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  zh: { title: string; detail: string };
  en: { title: string; detail: string };
  rule?: string;
  issues?: { path: string; message: string; zh: string }[];
  currentVersion?: number;
}

/** A refused request: its status and the problem the server explained it with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  /** The reason in the current language. */
  get text(): string {
    return (lang.value === 'en' ? this.problem.en?.detail : this.problem.zh?.detail) ?? this.problem.detail;
  }
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
}

/** Called when the API says the session has ended (401): the app sends the person to sign in. */
let onSignedOut: (() => void) | null = null;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/**
 * A request to our own API, with the session cookie (same origin), JSON in and out, the
 * language of the pages, and refusals thrown as {@link ApiError}. A network failure becomes an
 * ApiError with status 0, so every caller shows a message rather than nothing.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang.value === 'en' ? 'en' : 'zh-CN',
    ...init.headers,
  };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, {
      type: '/problems/network',
      title: '网络错误',
      status: 0,
      detail: '无法连接服务器,请检查网络后重试',
      zh: { title: '网络错误', detail: '无法连接服务器,请检查网络后重试' },
      en: { title: 'Network error', detail: 'cannot reach the server; check the network and retry' },
    });
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text === '' ? null : JSON.parse(text);
  } catch {
    data = null;
  }
  if (!res.ok) {
    const problem = (data as Problem | null) ?? {
      type: '/problems/http',
      title: res.statusText,
      status: res.status,
      detail: `HTTP ${res.status}`,
      zh: { title: res.statusText, detail: `HTTP ${res.status}` },
      en: { title: res.statusText, detail: `HTTP ${res.status}` },
    };
    if (res.status === 401 && !path.startsWith('/api/session') && !path.startsWith('/api/vocabulary')) onSignedOut?.();
    throw new ApiError(res.status, problem);
  }
  return { data: data as T, status: res.status, etag: res.headers.get('etag') };
}

/** A random key for one submission: a double tap, or a retry after a lost answer, applies once. */
export function newIdempotencyKey(): string {
  // Not crypto.randomUUID: it exists only in secure contexts, and a county LAN serves plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
