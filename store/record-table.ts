import type { EntityKind, EntityRecord, ListFilter } from './types.ts';

/** Current records by entity kind and id, with the query both stores answer the same way. */
export class RecordTable {
  private readonly byKind = new Map<EntityKind, Map<string, EntityRecord>>();

  get(entity: EntityKind, id: string): EntityRecord | undefined {
    return this.byKind.get(entity)?.get(id);
  }

  /** Records are replaced, never mutated, so a checkpoint can hold on to a consistent set. */
  set(record: EntityRecord): void {
    let table = this.byKind.get(record.entity);
    if (table === undefined) {
      table = new Map();
      this.byKind.set(record.entity, table);
    }
    table.set(record.id, record);
  }

  list(entity: EntityKind, filter: ListFilter = {}): EntityRecord[] {
    const out: EntityRecord[] = [];
    for (const record of this.byKind.get(entity)?.values() ?? []) {
      const tags = record.tags;
      if (filter.unitId !== undefined && tags.unitId !== filter.unitId) continue;
      if (filter.stage !== undefined && tags.stage !== filter.stage) continue;
      if (filter.wei !== undefined && !(tags.wei ?? []).includes(filter.wei)) continue;
      if (filter.campaignId !== undefined && tags.campaignId !== filter.campaignId) continue;
      if (filter.programmeId !== undefined && tags.programmeId !== filter.programmeId) continue;
      out.push(record);
    }
    return out;
  }

  all(): EntityRecord[] {
    return [...this.byKind.values()].flatMap((table) => [...table.values()]);
  }

  get size(): number {
    let n = 0;
    for (const table of this.byKind.values()) n += table.size;
    return n;
  }
}
