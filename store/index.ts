export * from './types.ts';
export { FileStore, type FileStoreOptions } from './file-store.ts';
export { MemoryStore } from './memory-store.ts';
export { PgStore, PG_SCHEMA_VERSION, type PgStoreOptions } from './pg-store.ts';
export { GENESIS_HASH, entryHash, hashText } from './hash.ts';
export { DataDirLock } from './lock.ts';
export { writeFileAtomic } from './atomic-write.ts';
export { scanJournal, type JournalScan } from './journal-scan.ts';
export { backupDataDir, type BackupSummary } from './backup.ts';
export {
  StaffFile,
  type StaffChange,
  type StaffRow,
  type StaffRows,
  type StaffStorage,
} from './staff-storage.ts';
export { PgSessions, PgStaff, type SessionRow, type SessionsEnded } from './pg-staff.ts';
export { asciiJson } from './ascii-json.ts';
