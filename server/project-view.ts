import { actionForbidden, KINDS, type EntityView } from '../engine/index.ts';
import {
  EVENT_LABELS,
  WEI_LABELS,
  eventOptions,
  filesForReview,
  weiKeys,
  type ProjectContext,
  type ProjectStateValue,
  type ReviewPolicy,
  type StaffMember,
} from '../machines/index.ts';

/**
 * A project as a given member sees it: its 八未 with labels, and every event its states take
 * now — allowed for this member, or the reason not: the same checks, in the same order, as
 * sending it (another unit's project; the role; then what in the project blocks it).
 */
export function projectForStaff(
  project: EntityView<ProjectStateValue, ProjectContext>,
  staff: StaffMember,
  /** Whether a campaign reviews an event type (填报 → 审核) before it counts. */
  reviewOf: (type: string) => ReviewPolicy | null = () => null,
) {
  const mayNot = actionForbidden(KINDS.project, staff, project);
  return {
    id: project.id,
    version: project.version,
    machineVersion: project.machineVersion,
    state: project.value,
    context: project.context,
    wei: weiKeys(project).map((key) => ({ key, ...WEI_LABELS[key] })),
    events: eventOptions(project).map((option) => {
      const reason = mayNot ?? KINDS.project.forbidden(staff, option.type, project) ?? option.blockedBy;
      const policy = reviewOf(option.type);
      return {
        type: option.type,
        label: EVENT_LABELS[option.type],
        allowed: reason === null,
        reason,
        // Filed for review — unless this member is one of its reviewers, who records it directly.
        review:
          policy === null
            ? null
            : {
                reviewers: policy.reviewers,
                campaignId: policy.campaignId,
                filed: filesForReview(policy, staff),
              },
      };
    }),
  };
}
