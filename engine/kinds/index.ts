import type { AnyEntityKind, EntityKind } from './kind.ts';
import { campaignKind } from './campaign.ts';
import { filingKind } from './filing.ts';
import { programmeKind } from './programme.ts';
import { ladderKind } from './ladder.ts';
import { problemKind } from './problem.ts';
import { projectKind } from './project.ts';

/**
 * The registry of entity kinds, by their persisted names: everything the engine, the server's
 * `/api/machines` and OpenAPI document, migrations and `verify` know of each kind comes from
 * here. Adding a kind: its machine (machines/), its entry (engine/kinds/), its routes (server/).
 */
export const KINDS = {
  project: projectKind,
  campaign: campaignKind,
  unit: ladderKind,
  problem: problemKind,
  filing: filingKind,
  programme: programmeKind,
} as const;

export type Kinds = typeof KINDS;
export type KindName = keyof Kinds;

type Parts<K extends KindName> =
  Kinds[K] extends EntityKind<infer V, infer C, infer I, infer E>
    ? { value: V; context: C; input: I; event: E }
    : never;
export type ValueOf<K extends KindName> = Parts<K>['value'];
export type ContextOf<K extends KindName> = Parts<K>['context'];
export type InputOf<K extends KindName> = Parts<K>['input'];
export type EventOf<K extends KindName> = Parts<K>['event'];

/** Every kind, types erased, in registry order. */
export const ALL_KINDS: readonly AnyEntityKind[] = Object.values(KINDS) as readonly AnyEntityKind[];

/** The kind registered under a persisted name (journal entries and records carry it). */
export function kindOf(name: string): AnyEntityKind {
  const kind = (KINDS as Record<string, AnyEntityKind>)[name];
  if (kind === undefined) throw new Error(`unknown entity kind "${name}"`);
  return kind;
}

export * from './kind.ts';
export { ProjectInputSchema, ProjectEventSchema, projectForbidden } from './project.ts';
export { CampaignInputSchema, CampaignEventSchema } from './campaign.ts';
export { ProblemInputSchema, ProblemEventSchema } from './problem.ts';
export { LadderEventSchema } from './ladder.ts';
export { FilingEventSchema, FilingInputSchema, AttachmentSchema } from './filing.ts';
export { ProgrammeEventSchema, ProgrammeInputSchema } from './programme.ts';
export { dated, safeId, isoDate, isoMonth } from './schema-parts.ts';
export { parseWithProblems } from './parse.ts';
