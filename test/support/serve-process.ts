import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../bin/gongjian.js');

/** A port free right now (the OS picks it; the server binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything written to stderr so far (the first-start token is there). */
  stderr(): string;
  /** The hq token printed on first start, if any. */
  token(): string | undefined;
  /** The hq one-time password printed on first start, if any. */
  password(): string | undefined;
  /** Sends a signal and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts `gongjian serve` as a real process (stdout wherever the test wants it: a pipe, a full
 * device, a file on a tiny disk) and resolves once `/healthz` answers.
 */
export async function startServe(options: {
  dir: string;
  stdout?: 'ignore' | 'pipe' | number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  port?: number;
  /** Load the demo into an empty store (default: no, `--no-demo`). */
  demo?: boolean;
  /** The directory and port as `npm start` takes them, from GONGJIAN_DATA and PORT, not flags. */
  asNpmStart?: boolean;
}): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const where = options.asNpmStart === true ? [] : ['--data', options.dir, '--port', String(port)];
  const child = spawn(
    process.execPath,
    [BIN, 'serve', ...where, ...(options.demo === true ? [] : ['--no-demo']), ...(options.args ?? [])],
    {
      stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...(options.asNpmStart === true ? { GONGJIAN_DATA: options.dir, PORT: String(port) } : {}),
        ...options.env,
      },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer /healthz within 20 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    port,
    base,
    stderr: () => stderr,
    token: () => /gj_[\w-]{43}/.exec(stderr)?.[0],
    password: () => /one-time password:\s+(\S+)/.exec(stderr)?.[1],
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
