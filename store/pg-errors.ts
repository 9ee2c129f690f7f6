/** Whether an error says the database is away (down, restarting, unreachable, out of connections). */
export function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Node's socket errors, and SQLSTATE classes 08 (connection), 53 (resources), 57P (shutdown).
    if (/^E[A-Z]+$/.test(code)) return true;
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P')) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    (err as Error).message ?? '',
  );
}
