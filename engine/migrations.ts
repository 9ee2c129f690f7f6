import { StoreError, type EntityKind } from '../store/index.ts';

/** A persisted snapshot as read from disk. */
export interface PersistedSnapshot {
  status: string;
  value: Record<string, string>;
  context: Record<string, unknown>;
  [key: string]: unknown;
}

/** What a migration may look up beyond the snapshot itself (other entities, read-only). */
export interface MigrationContext {
  /** The (campaign, unit) a first-release ladder id `<campaign>.<unit>` stands for. */
  legacyLadder(id: string): { campaignId: string; unitId: string };
}

type Migration = (snapshot: PersistedSnapshot, context: MigrationContext) => PersistedSnapshot;
type InputMigration = (input: Record<string, unknown>, context: MigrationContext) => Record<string, unknown>;

/**
 * Migrations per entity kind, keyed by the version they migrate *from*. Loading a snapshot
 * runs them in order up to the current machine version.
 */
export const MIGRATIONS: Record<EntityKind, Record<number, Migration>> = {
  project: {
    // v0 (pre-release) had no `stage` mirror and no green channel in context.
    0: (s) => ({ ...s, context: { ...s.context, stage: s.value.lifecycle, greenChannel: s.context.greenChannel ?? null } }),
  },
  campaign: {},
  unit: {
    // v1 kept one dotted id for the ladder; v2 names its campaign and unit separately.
    1: (s, context) => {
      const { id, ...rest } = s.context;
      return { ...s, context: { ...context.legacyLadder(String(id)), ...rest } };
    },
  },
  problem: {},
};

/** Migrations of creation inputs, for replaying a journal written by an older machine version. */
export const INPUT_MIGRATIONS: Record<EntityKind, Record<number, InputMigration>> = {
  project: {},
  campaign: {},
  unit: {
    1: (input, context) => {
      const { id, ...rest } = input;
      return { ...context.legacyLadder(String(id)), ...rest };
    },
  },
  problem: {},
};

/** Brings a journalled creation input from machine version `version` up to `current`. */
export function migrateInput(entity: EntityKind, version: number, current: number, input: unknown, context: MigrationContext): unknown {
  let migrated = input as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const step = INPUT_MIGRATIONS[entity][v];
    if (step !== undefined) migrated = step(migrated, context);
  }
  return migrated;
}

/**
 * Brings a persisted snapshot from machine version `version` up to `current` (the entity
 * definition's). Refuses, with a clear error, a snapshot from a newer version or one with no
 * migration path — never a silent reset.
 */
export function migrate(entity: EntityKind, id: string, version: number, current: number, snapshot: PersistedSnapshot, context: MigrationContext): PersistedSnapshot {
  if (version > current) {
    throw new StoreError(
      'snapshotFromNewerVersion',
      `${entity} ${id} was saved by machine version ${version}, newer than this program's ${current}: upgrade gongjian before opening this data`,
      `${entity} ${id} 由第 ${version} 版状态机保存,比本程序的第 ${current} 版新:请先升级 gongjian 再打开这些数据`,
    );
  }
  let migrated = snapshot;
  for (let v = version; v < current; v++) {
    const step = MIGRATIONS[entity][v];
    if (step === undefined) {
      throw new StoreError(
        'noMigration',
        `${entity} ${id}: no migration from machine version ${v} to ${v + 1}`,
        `${entity} ${id}:缺少从第 ${v} 版到第 ${v + 1} 版的迁移`,
      );
    }
    migrated = step(migrated, context);
  }
  return migrated;
}
