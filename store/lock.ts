import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './types.ts';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files held by this process (a second store in the same process must be refused too). */
const heldHere = new Set<string>();

/**
 * One process per data directory. The lock file names its holder; a lock left by a process
 * that no longer exists (a `kill -9`, a power cut) is taken over at once. (proper-lockfile
 * judges staleness by mtime instead, which would refuse a restart for seconds after a crash.)
 */
export class DataDirLock {
  private readonly path: string;
  private held = false;

  constructor(dir: string) {
    this.path = join(dir, 'LOCK');
  }

  async acquire(): Promise<void> {
    if (heldHere.has(this.path)) {
      throw new StoreError(
        'locked',
        `data directory ${this.path.slice(0, -5)} is already open in this process (${process.pid})`,
        `数据目录 ${this.path.slice(0, -5)} 已在本进程(${process.pid})中打开`,
      );
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(this.path, 'wx');
        const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        await handle.writeFile(JSON.stringify(holder));
        await handle.sync();
        await handle.close();
        this.held = true;
        heldHere.add(this.path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await this.readHolder();
      if (holder !== null && holder.host === hostname() && holder.pid !== process.pid && alive(holder.pid)) {
        throw new StoreError(
          'locked',
          `data directory ${this.path.slice(0, -5)} is in use by process ${holder.pid} (since ${holder.since}); ` +
            `stop it first`,
          `数据目录 ${this.path.slice(0, -5)} 正被进程 ${holder.pid} 使用(自 ${holder.since} 起),请先停止该进程`,
        );
      }
      if (holder !== null && holder.host !== hostname()) {
        throw new StoreError(
          'locked',
          `data directory is locked by process ${holder.pid} on host ${holder.host}; remove ${this.path} only if ` +
            `that process is gone`,
          `数据目录被主机 ${holder.host} 上的进程 ${holder.pid} 锁定;确认该进程已停止后再删除 ${this.path}`,
        );
      }
      await rm(this.path, { force: true });
    }
    throw new StoreError('locked', `could not lock ${this.path}`, `无法锁定 ${this.path}`);
  }

  private async readHolder(): Promise<Holder | null> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Holder;
    } catch {
      return null;
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    await rm(this.path, { force: true });
  }
}
