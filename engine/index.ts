export * from './engine.ts';
export * from './types.ts';
export { migrateInput, migrateSnapshot } from './migrations.ts';
export * from './kinds/index.ts';
export { verify, verifyPg, type VerifyOptions, type VerifyProgress, type VerifyReport } from './verify.ts';
export { migrateToPg } from './migrate-store.ts';
export { CampaignService } from './campaign-service.ts';
export { FilingService, type FileOutcome, type FilingFilter } from './filing-service.ts';
export { simulate, type SimulationOptions, type SimulationResult, type ForbiddenEvent } from './simulate.ts';
export { parseScenario, ScenarioSchema, type Scenario, type ScenarioEvent } from './scenario.ts';
export { seededRandom } from './random.ts';
export { generateScenario, type GenerateOptions } from './generate.ts';
export { readDataDir, reportFromDataDir, unitsInDataDir } from './read-journal.ts';
export {
  StaffDirectory,
  hashToken,
  type Authentication,
  type SignIn,
  type StaffAccount,
  type StaffAuditEntry,
  type TokenListing,
  type TokenStatus,
} from './staff-directory.ts';
// What the server and the CLI need of the store comes through the engine (layers: server → engine → store).
export {
  FileStore,
  MemoryStore,
  PgStore,
  type PgStoreOptions,
  StaffFile,
  StoreError,
  backupDataDir,
  type BackupSummary,
  type Store,
  type StoreHealth,
  type JournalEntry,
  type SessionRow,
  type SessionsEnded,
  type StaffStorage,
} from '../store/index.ts';
export * from './statechart.ts';
export { inSlices, SLICE_MS } from './slices.ts';
