import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { GENESIS_HASH } from './hash.ts';
import { StoreError, entryIdempotencyKey, type JournalEntry } from './types.ts';

/** Where one entry's line lies in the journal file. */
export interface LineSpan {
  offset: number;
  length: number;
}

export interface JournalScan {
  lastSeq: number;
  lastHash: string;
  /** Bytes of whole, valid lines; anything after is a torn tail to cut off. */
  validBytes: number;
  fileBytes: number;
  /** Description of the torn tail dropped, if any. */
  tornTail: string | null;
  /** Line spans per entity (`entity id`), oldest first. */
  spans: Map<string, LineSpan[]>;
  keyed: Map<string, JournalEntry>;
  /** Entries after `sinceSeq`, to replay. */
  tail: JournalEntry[];
  /** Hash of the entry with seq `sinceSeq` (to check the checkpoint belongs to this journal). */
  hashAtSinceSeq: string | null;
}

export function spanKey(entity: string, id: string): string {
  return `${entity} ${id}`;
}

function corrupt(path: string, line: number, why: string, whyZh: string): StoreError {
  return new StoreError(
    'journalCorrupt',
    `journal ${path}, line ${line}: ${why}. Nothing was changed; run "gongjian verify" and restore the journal ` +
      `from a backup`,
    `日志 ${path} 第 ${line} 行:${whyZh}。未作任何修改;请运行 "gongjian verify" 并从备份恢复日志`,
    // Line n holds entry n.
    line,
  );
}

/**
 * Reads the whole journal once: checks each line parses, seqs run 1, 2, 3… and each entry
 * links to the previous hash; indexes line positions per entity and the idempotency keys; and
 * collects the entries after `sinceSeq`. A torn last line — the tail of an append cut short by
 * a crash, which was therefore never acknowledged — is reported for cutting off; a bad line
 * anywhere else stops the start.
 */
export async function scanJournal(path: string, sinceSeq: number): Promise<JournalScan> {
  const scan: JournalScan = {
    lastSeq: 0,
    lastHash: GENESIS_HASH,
    validBytes: 0,
    fileBytes: 0,
    tornTail: null,
    spans: new Map(),
    keyed: new Map(),
    tail: [],
    hashAtSinceSeq: sinceSeq === 0 ? GENESIS_HASH : null,
  };
  try {
    scan.fileBytes = (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return scan;
    throw err;
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let offset = 0;
  let lineNo = 0;
  let pending: { text: string; lineNo: number; offset: number } | null = null;
  // Where the group being read began (entries committed together): a group cut short by a
  // crash is torn as a whole — none of it was acknowledged.
  const open: { group: GroupStart | null } = { group: null };
  type GroupStart = {
    lineNo: number;
    lastSeq: number;
    lastHash: string;
    validBytes: number;
    tail: number;
    spans: string[];
    keys: string[];
    hashAtSinceSeq: string | null;
  };
  const accept = (text: string, no: number, at: number) => {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(text) as JournalEntry;
    } catch {
      throw corrupt(path, no, 'not valid JSON', '不是有效的 JSON');
    }
    if (entry.seq !== scan.lastSeq + 1)
      throw corrupt(
        path,
        no,
        `seq ${entry.seq} follows ${scan.lastSeq}`,
        `序号 ${entry.seq} 接在 ${scan.lastSeq} 之后`,
      );
    if (entry.prevHash !== scan.lastHash)
      throw corrupt(path, no, 'prevHash does not match the previous entry', 'prevHash 与上一条不符');
    const length = Buffer.byteLength(text, 'utf8') + 1;
    const [index, size] = Array.isArray(entry.group) ? entry.group : [1, 1];
    if (index === 1 && size > 1)
      open.group = {
        lineNo: no,
        lastSeq: scan.lastSeq,
        lastHash: scan.lastHash,
        validBytes: scan.validBytes,
        tail: scan.tail.length,
        spans: [],
        keys: [],
        hashAtSinceSeq: scan.hashAtSinceSeq,
      };
    const key = spanKey(entry.entity, entry.id);
    const spans = scan.spans.get(key);
    if (spans === undefined) scan.spans.set(key, [{ offset: at, length }]);
    else spans.push({ offset: at, length });
    const scoped = entryIdempotencyKey(entry);
    if (scoped !== undefined) scan.keyed.set(scoped, entry);
    open.group?.spans.push(key);
    if (scoped !== undefined) open.group?.keys.push(scoped);
    if (index === size) open.group = null;
    if (entry.seq > sinceSeq) scan.tail.push(entry);
    if (entry.seq === sinceSeq) scan.hashAtSinceSeq = entry.hash;
    scan.lastSeq = entry.seq;
    scan.lastHash = entry.hash;
    scan.validBytes = at + length;
  };
  for await (const text of lines) {
    lineNo += 1;
    // Judge a line only once the next one arrives: the last line may be a torn tail.
    if (pending !== null) accept(pending.text, pending.lineNo, pending.offset);
    pending = { text, lineNo, offset };
    offset += Buffer.byteLength(text, 'utf8') + 1;
  }
  if (pending !== null) {
    const terminated = offset <= scan.fileBytes;
    let parses = true;
    try {
      JSON.parse(pending.text);
    } catch {
      parses = false;
    }
    if (terminated && parses) accept(pending.text, pending.lineNo, pending.offset);
    else if (!terminated || pending.text.includes('\u0000') || pending.text.trim() === '') {
      scan.tornTail =
        `line ${pending.lineNo} (${scan.fileBytes - pending.offset} bytes, ` +
        `${terminated ? 'unreadable' : 'no line end'})`;
    } else {
      throw corrupt(path, pending.lineNo, 'not valid JSON', '不是有效的 JSON');
    }
  }
  const partial = open.group;
  if (partial !== null) {
    for (const key of partial.spans) scan.spans.get(key)?.pop();
    for (const key of partial.keys) scan.keyed.delete(key);
    scan.tail.length = partial.tail;
    scan.tornTail =
      `lines ${partial.lineNo}–${lineNo} (${scan.fileBytes - partial.validBytes} bytes, ` +
      'a group of entries cut short)';
    scan.lastSeq = partial.lastSeq;
    scan.lastHash = partial.lastHash;
    scan.validBytes = partial.validBytes;
    scan.hashAtSinceSeq = partial.hashAtSinceSeq;
  }
  return scan;
}
