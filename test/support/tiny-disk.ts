import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  dir: string;
  /** Fills every free byte with a filler file. */
  fill(): Promise<void>;
  /** Removes the filler: the disk has room again. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

/**
 * A real, tiny file system (tmpfs of `kb` KiB) to run out of space on — the tests run as root
 * (`.ci/run`). Null where mounting is not permitted (an error instead under `.ci/run`, which sets
 * GONGJIAN_REQUIRE_ROOT_TESTS=1).
 */
export async function mountTinyDisk(kb: number): Promise<TinyDisk | null> {
  const dir = await mkdtemp(join(tmpdir(), 'gongjian-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (process.env.GONGJIAN_REQUIRE_ROOT_TESTS === '1')
      throw new Error(`cannot mount a tmpfs (run as root, as .ci/run does): ${(err as Error).message}`);
    return null;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    async fill() {
      const file = await open(filler, 'a');
      try {
        // Whole pages while they fit, then single bytes: the disk is exactly full.
        for (const size of [4096, 1]) {
          const piece = Buffer.alloc(size, 120);
          for (;;) {
            try {
              await file.write(piece);
            } catch {
              break;
            }
          }
        }
      } finally {
        await file.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
