import { FileStore, PgStore, StaffFile, type EntityRecord } from '../store/index.ts';
import { Engine } from './engine.ts';
import { ALL_KINDS } from './kinds/index.ts';

/**
 * Copies a data directory into PostgreSQL (`gongjian migrate --from DIR --to postgres://…`):
 * every journal entry as it was written — seqs and hashes kept, so the chain proves the same
 * history — the records as a start on the directory makes them, every attachment a journal entry
 * names, and the staff directory with its audit journal (the same people sign in after); in one
 * transaction, into an empty schema. The directory is only read (a server may be running on it;
 * what it journals after the copy began is not copied).
 */
export async function migrateToPg(
  dir: string,
  url: string,
  options: { schema?: string; progress?: (entries: number) => void } = {},
): Promise<{ entries: number; records: number; blobs: number; staff: number }> {
  const source = new FileStore(dir, { readOnly: true });
  // A start on the directory: the checkpoint and the journal after it replayed into its records.
  const engine = new Engine({ store: source });
  await engine.open();
  const target = new PgStore(url, { schema: options.schema });
  try {
    const records: EntityRecord[] = ALL_KINDS.flatMap((kind) => source.list(kind.kind));
    const named = new Set<string>();
    for await (const entry of source.entries()) for (const hash of entry.blobs ?? []) named.add(hash);
    const blobs: { hash: string; bytes: Uint8Array }[] = [];
    for (const hash of named) {
      const bytes = await source.getBlob(hash);
      if (bytes !== undefined) blobs.push({ hash, bytes });
    }
    // The staff directory and its audit journal go with the data: the same people sign in after.
    const staffFile = new StaffFile(dir);
    await staffFile.load();
    const staff = { rows: staffFile.rows(), audit: await staffFile.auditLines() };
    await target.open();
    const position = source.position();
    return await target
      .importFrom(
        {
          lines: async function* () {
            // Up to the position the records reflect, however long the directory's journal grows meanwhile.
            for await (const line of source.lines()) if (line.entry.seq <= position) yield line;
          },
          records,
          blobs,
          staff,
        },
        options.progress,
      )
      .then((copied) => ({ ...copied, staff: staff.rows.staff.length }));
  } finally {
    await target.close();
    await engine.close();
  }
}
