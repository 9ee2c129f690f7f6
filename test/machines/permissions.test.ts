import { describe, expect, it } from 'vitest';
import { PROJECT_EVENT_ROLES, ROLE_LABELS, projectEventForbidden } from '../../machines/index.ts';
import type { ProjectEventType } from '../../machines/index.ts';

describe('who may send a project event', () => {
  it('a role refusal names, in both languages, exactly the roles that may send that type', () => {
    for (const type of Object.keys(PROJECT_EVENT_ROLES) as ProjectEventType[]) {
      const allowed = PROJECT_EVENT_ROLES[type];
      const refused = projectEventForbidden({ id: 'v', role: 'viewer', name: '观察员' }, type, 'u1');
      expect(refused).toEqual({
        rule: 'role',
        zh: `角色「${ROLE_LABELS.viewer.zh}」不能发送 ${type};可发送的角色:${allowed.map((r) => ROLE_LABELS[r].zh).join('、')}`,
        en: `role "viewer" may not send ${type}; allowed: ${allowed.join(', ')}`,
      });
      // Each allowed role may, on any project but unit staff on their own unit's.
      for (const role of allowed) {
        const member = { id: 'm', role, name: 'm', unitId: 'u1' };
        expect(projectEventForbidden(member, type, 'u1')).toBeNull();
      }
    }
  });
});
