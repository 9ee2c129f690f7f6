export * from './engine.ts';
export { migrate, MIGRATIONS, CURRENT_VERSIONS, type PersistedSnapshot } from './migrations.ts';
export { verify, type VerifyReport } from './verify.ts';
