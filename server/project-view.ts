import {
  EVENT_LABELS,
  WEI_LABELS,
  eventOptions,
  projectEventForbidden,
  weiKeys,
  type ProjectContext,
  type ProjectStateValue,
  type StaffMember,
} from '../machines/index.ts';
import type { EntityView } from '../engine/index.ts';

/**
 * A project as a given member sees it: its 八未 with labels, and every event its states take
 * now — allowed for this member, or the reason not (their role or unit, or what blocks it).
 */
export function projectForStaff(project: EntityView<ProjectStateValue, ProjectContext>, staff: StaffMember) {
  return {
    id: project.id,
    version: project.version,
    machineVersion: project.machineVersion,
    state: project.value,
    context: project.context,
    wei: weiKeys(project).map((key) => ({ key, ...WEI_LABELS[key] })),
    events: eventOptions(project).map((option) => {
      const reason = projectEventForbidden(staff, option.type, project.context.unitId) ?? option.blockedBy;
      return { type: option.type, label: EVENT_LABELS[option.type], allowed: reason === null, reason };
    }),
  };
}
