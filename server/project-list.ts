import {
  maySee,
  STAGES,
  STATE_LABELS,
  WEI_KEYS,
  WEI_LABELS,
  type StaffMember,
  type Visibility,
} from '../machines/index.ts';
import type { Engine } from '../engine/index.ts';
import type { ProjectListQuery } from './schemas.ts';

/** One row of 项目台账, read from the record's tags alone (no snapshot is parsed). */
export interface ProjectRow {
  id: string;
  name: string;
  unitId: string;
  stage: string;
  wei: string[];
  plannedInvestment: number;
  programmeId: string | null;
  enterprise: string | null;
  version: number;
  /** A folded programme's row (`fold=programmes`): how many sub-projects it stands for. */
  subProjects?: number;
}

export interface ProjectPage {
  rows: ProjectRow[];
  total: number;
  /** Projects in each 八未 and each stage among all that matched (not only this page). */
  counts: { wei: Record<string, number>; stage: Record<string, number> };
}

const STAGE_ORDER = new Map<string, number>([...STAGES, 'dropped'].map((s, i) => [s, i]));

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

const SORTS: Record<string, (a: ProjectRow, b: ProjectRow) => number> = {
  id: (a, b) => compare(a.id, b.id),
  name: (a, b) => compare(a.name, b.name) || compare(a.id, b.id),
  unit: (a, b) => compare(a.unitId, b.unitId) || compare(a.id, b.id),
  stage: (a, b) => (STAGE_ORDER.get(a.stage) ?? 99) - (STAGE_ORDER.get(b.stage) ?? 99) || compare(a.id, b.id),
  investment: (a, b) => a.plannedInvestment - b.plannedInvestment || compare(a.id, b.id),
  version: (a, b) => a.version - b.version || compare(a.id, b.id),
};

/**
 * 项目台账: the projects this member may see that match the filters (unit, stage, 八未, and
 * text in the id or name, case-insensitive), sorted (`-` first for descending), one page — and
 * the total and counts of all that matched (`only`: the projects behind a campaign total).
 * Works from the store's tags: 100,000 projects are
 * filtered, counted and sorted without reading a snapshot.
 */
export function projectPage(
  engine: Engine,
  staff: StaffMember,
  visibility: Visibility,
  query: ProjectListQuery,
  only?: ReadonlySet<string>,
): ProjectPage {
  // The filtered, sorted list is kept per journal position (any change moves it) and per what
  // this member may see: the next page, or the same list asked again, is a slice of it.
  const sees = visibility === 'unit' && staff.role === 'unit' ? `unit:${staff.unitId ?? ''}` : 'all';
  const { page: _page, pageSize: _size, format: _format, ...filters } = query;
  const key = only === undefined ? JSON.stringify([engine.store.position(), sees, filters]) : null;
  const cache = listCaches.get(engine) ?? new Map<string, Matched>();
  listCaches.set(engine, cache);
  let matched = key === null ? undefined : cache.get(key);
  if (matched === undefined) {
    matched = matchProjects(engine, staff, visibility, query, only);
    if (key !== null) {
      if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
      cache.set(key, matched);
    }
  }
  const { rows, counts } = matched;
  const start = (query.page - 1) * query.pageSize;
  return {
    rows: query.format === 'xlsx' ? rows : rows.slice(start, start + query.pageSize),
    total: rows.length,
    counts,
  };
}

/** Every matching row, sorted, and the counts over them. */
interface Matched {
  rows: ProjectRow[];
  counts: ProjectPage['counts'];
}

/** Matched lists by engine, most recently made last (at most 8: each holds a row per matching project). */
const listCaches = new WeakMap<Engine, Map<string, Matched>>();

function matchProjects(
  engine: Engine,
  staff: StaffMember,
  visibility: Visibility,
  query: ProjectListQuery,
  only: ReadonlySet<string> | undefined,
): Matched {
  const text = query.q?.trim().toLowerCase() ?? '';
  const rows: ProjectRow[] = [];
  const wei: Record<string, number> = Object.fromEntries(WEI_KEYS.map((k) => [k, 0]));
  const stage: Record<string, number> = {};
  const enterprise = query.enterprise?.trim().toLowerCase() ?? '';
  const filter = { unitId: query.unit, stage: query.stage, wei: query.wei, programmeId: query.programme };
  for (const record of engine.summaries('project', filter)) {
    if (only !== undefined && !only.has(record.id)) continue;
    const tags = record.tags;
    const unitId = tags.unitId ?? '';
    if (!maySee(staff, unitId, visibility)) continue;
    const name = tags.name ?? '';
    if (text !== '' && !record.id.toLowerCase().includes(text) && !name.toLowerCase().includes(text)) continue;
    if (enterprise !== '' && !(tags.enterprise ?? '').toLowerCase().includes(enterprise)) continue;
    if (query.minInvestment !== undefined && (tags.amount ?? 0) < query.minInvestment) continue;
    const row: ProjectRow = {
      id: record.id,
      name,
      unitId,
      stage: tags.stage ?? '',
      wei: tags.wei ?? [],
      plannedInvestment: tags.amount ?? 0,
      programmeId: tags.programmeId ?? null,
      enterprise: tags.enterprise ?? null,
      version: record.version,
    };
    rows.push(row);
    for (const key of row.wei) wei[key] = (wei[key] ?? 0) + 1;
    stage[row.stage] = (stage[row.stage] ?? 0) + 1;
  }
  if (query.fold === 'programmes') foldProgrammes(engine, rows);
  const sort = query.sort ?? 'id';
  const descending = sort.startsWith('-');
  const by = SORTS[descending ? sort.slice(1) : sort]!;
  rows.sort(descending ? (a, b) => by(b, a) : by);
  return { rows, counts: { wei, stage } };
}

/**
 * Replaces each programme's sub-project rows with one row for the programme: its name, the
 * sum of their planned investment, the 八未 any of them is in, their count (`subProjects`).
 */
function foldProgrammes(engine: Engine, rows: ProjectRow[]): void {
  const folded = new Map<string, ProjectRow>();
  const kept: ProjectRow[] = [];
  for (const row of rows) {
    if (row.programmeId === null) {
      kept.push(row);
      continue;
    }
    const into = folded.get(row.programmeId);
    if (into === undefined) {
      const tags = engine.tags('programme', row.programmeId);
      const first: ProjectRow = {
        ...row,
        id: row.programmeId,
        name: tags?.name ?? row.programmeId,
        stage: '',
        wei: [...row.wei],
        subProjects: 1,
      };
      folded.set(row.programmeId, first);
      kept.push(first);
      continue;
    }
    into.subProjects = (into.subProjects ?? 0) + 1;
    into.plannedInvestment += row.plannedInvestment;
    if (into.unitId !== row.unitId) into.unitId = '';
    for (const w of row.wei) if (!into.wei.includes(w)) into.wei.push(w);
  }
  rows.splice(0, rows.length, ...kept);
}

/** The matched rows as an .xlsx workbook (项目台账), every row, in the order asked for. */
export async function projectsXlsx(rows: ProjectRow[], unitNames: Map<string, string>): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = 'Gongjian 攻坚';
  const sheet = book.addWorksheet('项目台账');
  const columns: [string, number][] = [
    ['项目编号', 18],
    ['项目名称', 36],
    ['责任单位', 18],
    ['项目阶段', 10],
    ['八未', 40],
    ['计划投资(万元)', 16],
    ['版本', 8],
  ];
  sheet.columns = columns.map(([header, width]) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const stageLabels = (STATE_LABELS as Record<string, Record<string, { zh: string }>>).lifecycle ?? {};
  for (const r of rows) {
    sheet.addRow([
      r.id,
      r.name,
      unitNames.get(r.unitId) ?? r.unitId,
      stageLabels[r.stage]?.zh ?? r.stage,
      r.wei.map((k) => WEI_LABELS[k as keyof typeof WEI_LABELS]?.zh ?? k).join('、'),
      r.plannedInvestment,
      r.version,
    ]);
  }
  sheet.autoFilter = { from: 'A1', to: 'G1' };
  return Buffer.from(await book.xlsx.writeBuffer());
}
