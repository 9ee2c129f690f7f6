import { StoreError } from '../store/index.ts';
import type { AnyEntityKind, MigrationContext, PersistedSnapshot } from './kinds/index.ts';

/**
 * Brings a persisted snapshot from machine version `version` up to its kind's, running the
 * kind's migrations in order. Refuses, with a clear error, a snapshot from a newer version or
 * one with no migration path — never a silent reset.
 */
export function migrateSnapshot(
  kind: AnyEntityKind,
  id: string,
  version: number,
  snapshot: PersistedSnapshot,
  context: MigrationContext,
): PersistedSnapshot {
  if (version > kind.version) {
    throw new StoreError(
      'snapshotFromNewerVersion',
      `${kind.kind} ${id} was saved by machine version ${version}, newer than this program's ${kind.version}: ` +
        `upgrade gongjian before opening this data`,
      `${kind.kind} ${id} 由第 ${version} 版状态机保存,比本程序的第 ${kind.version} 版新:请先升级 gongjian 再打开这些数据`,
    );
  }
  let migrated = snapshot;
  for (let v = version; v < kind.version; v++) {
    const step = kind.migrations[v];
    if (step === undefined) {
      throw new StoreError(
        'noMigration',
        `${kind.kind} ${id}: no migration from machine version ${v} to ${v + 1}`,
        `${kind.kind} ${id}:缺少从第 ${v} 版到第 ${v + 1} 版的迁移`,
      );
    }
    migrated = step(migrated, context);
  }
  return migrated;
}

/** Brings a journalled creation input from machine version `version` up to its kind's. */
export function migrateInput(kind: AnyEntityKind, version: number, input: unknown, context: MigrationContext): unknown {
  let migrated = input as Record<string, unknown>;
  for (let v = version; v < kind.version; v++) {
    const step = kind.inputMigrations[v];
    if (step !== undefined) migrated = step(migrated, context);
  }
  return migrated;
}
