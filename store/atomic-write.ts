import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** fsync a directory, so that a rename inside it survives a crash. */
export async function fsyncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Replace `path` with `text` so a crash leaves the old file or the new one, never half: write
 * a temp file, fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await fsyncDir(dirname(path));
}
