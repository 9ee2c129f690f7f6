/**
 * Tokens never reach a log or a response. A token is `gj_` + 43 base64url characters; it may
 * come as `access_token` in a URL (the stream's EventSource), percent-encoded in any way
 * (`access%5Ftoken`, `%67j_…`), or pasted where an id belongs. Both helpers decode what they
 * look at, so no encoding slips through.
 *
 * @example
 * redactUrl('/api/stream?access%5Ftoken=gj_abc…') // '/api/stream?access%5Ftoken=[redacted]'
 */
const TOKEN_LIKE = /gj_[A-Za-z0-9_-]{8,}/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const secret = (text: string) => TOKEN_LIKE.test(decode(text));

/** A URL without these can carry no token, however encoded: decoding needs `%`; the name, its letters. */
const MAY_HIDE_A_TOKEN = /gj_|%|access_token/i;

/** `text` with every token-like run replaced. */
export function redactSecrets(text: string): string {
  return text.replace(new RegExp(TOKEN_LIKE.source, 'g'), 'gj_[redacted]');
}

/** A URL safe to log or echo: `access_token` values and anything token-like, however encoded, replaced. */
export function redactUrl(url: string): string {
  // Nothing to decode and nothing token-like (every request's log line asks): as it is.
  if (!MAY_HIDE_A_TOKEN.test(url)) return url;
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q))
    .split('/')
    .map((segment) => (secret(segment) ? '[redacted]' : segment))
    .join('/');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      if (secret(name)) return '[redacted]';
      return decode(name).toLowerCase() === 'access_token' || secret(value) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
