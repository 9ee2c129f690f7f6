import { z } from 'zod';
import {
  FIELD_LABELS,
  PROJECT_EVENT_ROLES,
  ROLE_LABELS,
  WEI_APPLIES,
  WEI_KEYS,
  WEI_LABELS,
  WEI_WHEN,
} from '../machines/index.ts';
import { KINDS } from './kinds/index.ts';
import { statechartOf, toMermaid } from './statechart.ts';

/**
 * README sections generated from the code, so they cannot drift from it: the project
 * statechart as Mermaid, the eight 八未 (from `WEI_WHEN` and the statechart) and each project
 * event's payload (from the schema the API validates with). `npx tsx scripts/readme.ts`
 * rewrites them between their markers; a test
 * fails when the README differs.
 */
export const GENERATED_SECTIONS = {
  'project-statechart': () => `\`\`\`mermaid\n${toMermaid(statechartOf(KINDS.project))}\`\`\``,
  wei: weiTable,
  'project-events': projectEventsTable,
} as const;

type JsonSchema = {
  type?: string;
  const?: string;
  enum?: string[];
  format?: string;
  pattern?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const stateLabel = (region: string, state: string) => {
  const labels = KINDS.project.labels.states as Record<string, Record<string, { zh: string }>>;
  return `\`${region}.${state}\` (${labels[region]?.[state]?.zh ?? state})`;
};

/** The eight 八未: what puts a project in each, and the events that take it out. */
function weiTable(): string {
  const chart = statechartOf(KINDS.project);
  const rows = WEI_KEYS.map((key) => {
    const when = Object.entries(WEI_WHEN[key]) as [string, string][];
    const exits = new Set<string>();
    for (const [region, state] of when)
      for (const t of chart.transitions)
        if (t.source === `project.${region}.${state}` && t.event !== 'DROP' && t.targets.some((x) => x !== t.source))
          exits.add(t.event === null ? `automatically (\`${t.guard}\`)` : `\`${t.event}\``);
    const only = WEI_APPLIES[key];
    return (
      `| ${WEI_LABELS[key].zh} \`${key}\` | ${when.map(([r, s]) => stateLabel(r, s)).join(' and ')}` +
      `${only === undefined ? '' : `; only ${only.en}`} | ${[...exits].join(', ')}; \`DROP\` (终止) |`
    );
  });
  return [
    '| 八未 | a project is in it while | it leaves it by |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'A dropped project (`lifecycle.dropped`, 终止) is in none of them — whatever its land or bond — and is',
    'counted apart (终止 n 个) in the burn-down, the report and the dashboard.',
    '',
    '达产 (`outputAtTarget`): `targetMonths` consecutive calendar months (registration setting, default 1)',
    'each at or above `outputTarget`. A project registered without its designed output is given one with',
    '`SET_OUTPUT_TARGET` (under construction, completed or in production); public works (`purpose: public`)',
    'refuse `START_PRODUCTION` (`publicWorks`): completion is their end.',
  ].join('\n');
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.format === 'date') return 'date `YYYY-MM-DD`';
  if (s.pattern !== undefined)
    return s.pattern.includes('{4}-') ? 'month `YYYY-MM`' : 'text (see the OpenAPI document)';
  const bounds = [
    s.exclusiveMinimum !== undefined
      ? `> ${s.exclusiveMinimum}`
      : s.minimum !== undefined && s.minimum > -1e15
        ? `≥ ${s.minimum}`
        : '',
    s.maximum !== undefined ? `≤ ${s.maximum.toLocaleString('en')}` : '',
  ].filter((b) => b !== '');
  const kind = s.type === 'integer' ? 'whole number' : (s.type ?? 'value');
  return bounds.length > 0 ? `${kind} ${bounds.join(', ')}` : kind;
}

/** Each project event: its name, who may send it, and every field of its payload. */
function projectEventsTable(): string {
  const json = z.toJSONSchema(KINDS.project.eventSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const union = json.$ref === undefined ? json : json.$defs![json.$ref.split('/').at(-1)!]!;
  const labels = KINDS.project.labels.events as Record<string, { zh: string; en: string }>;
  const fields = FIELD_LABELS as Record<string, { zh: string; unit?: { zh: string } }>;
  const rows = (union.oneOf ?? []).map((variant) => {
    const type = variant.properties!.type!.const!;
    const required = new Set(variant.required ?? []);
    const payload = Object.entries(variant.properties ?? {})
      .filter(([name]) => name !== 'type')
      .map(([name, s]) => {
        const label = fields[name];
        const words = label === undefined ? '' : ` ${label.zh}${label.unit ? `(${label.unit.zh})` : ''}`;
        return `\`${name}\`${required.has(name) ? '' : ' (optional)'}:${words} ${typeOf(s)}`;
      })
      .join('; ');
    const roles = PROJECT_EVENT_ROLES[type as keyof typeof PROJECT_EVENT_ROLES] ?? [];
    return `| \`${type}\` ${labels[type]?.zh ?? ''} | ${roles.map((r) => ROLE_LABELS[r].zh).join('、')} | ${payload} |`;
  });
  return ['| event | who may send it | payload |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README with every generated section replaced by what the code says now. */
export function withGeneratedSections(readme: string): string {
  let out = readme;
  for (const [name, make] of Object.entries(GENERATED_SECTIONS)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} section`);
    out = `${out.slice(0, from + start.length)}\n${make()}\n${out.slice(to)}`;
  }
  return out;
}
