import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 — 32 MiB and ≈ 60 ms per hash on this machine, within
 * OWASP's recommended scrypt settings. Stored with the hash, so raising it later re-hashes
 * nobody's password wrongly: old hashes keep their own parameters.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r (32 MiB at the default cost).
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) =>
      err === null ? resolve(key) : reject(err),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url), never the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFC'), salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of no one's password, to spend the same time on unknown names as on known ones. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'));
  return decoy;
}

/** Whether `password` is the one `stored` was made from (constant-time comparison). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password.normalize('NFC'), Buffer.from(parts[4]!, 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// No 0/O, 1/l/I: a password read off a terminal and typed on a phone.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of 16 characters (≈ 92 bits), in groups of four for reading aloud. */
export function generatePassword(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export const PASSWORD_MIN_LENGTH = 10;

/** Why a chosen password is not acceptable, or null. */
export function passwordProblem(password: string, login: string): { zh: string; en: string } | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return {
      zh: `密码至少 ${PASSWORD_MIN_LENGTH} 个字符(现为 ${length} 个)`,
      en: `a password needs at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length})`,
    };
  if (length > 200) return { zh: '密码不能超过 200 个字符', en: 'a password may have at most 200 characters' };
  if (password.toLowerCase().includes(login.toLowerCase()))
    return { zh: '密码不能包含用户名', en: 'a password must not contain the user name' };
  if (new Set(password).size < 4)
    return { zh: '密码过于简单(不同字符少于 4 个)', en: 'too simple a password (fewer than 4 different characters)' };
  return null;
}
