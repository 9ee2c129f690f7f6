import type { PermitKey, ProjectEventType, ProjectStateValue } from './project-types.ts';
import type { Bilingual } from './rules.ts';

/** Names people read for regions, states, events and certificates (zh-CN first). */

export const REGION_LABELS: { [R in keyof ProjectStateValue]: Bilingual } = {
  lifecycle: { zh: '项目阶段', en: 'stage' },
  permits: { zh: '办证', en: 'permits' },
  land: { zh: '征拆', en: 'land clearance' },
  bond: { zh: '专项债', en: 'special bond' },
  statistics: { zh: '入库纳统', en: 'statistics registration' },
  support: { zh: '帮扶', en: 'support' },
};

export const STATE_LABELS: { [R in keyof ProjectStateValue]: Record<ProjectStateValue[R], Bilingual> } = {
  lifecycle: {
    negotiating: { zh: '洽谈', en: 'negotiating' },
    signed: { zh: '已签约', en: 'signed' },
    underConstruction: { zh: '在建', en: 'under construction' },
    completed: { zh: '已竣工', en: 'completed' },
    inProduction: { zh: '已投产', en: 'in production' },
    atTarget: { zh: '已达产', en: 'at target' },
    dropped: { zh: '已终止', en: 'dropped' },
  },
  permits: {
    pending: { zh: '办理中', en: 'pending' },
    complete: { zh: '四证齐全', en: 'all four granted' },
  },
  land: {
    notRequired: { zh: '无征拆', en: 'not required' },
    clearing: { zh: '征拆中', en: 'clearing' },
    cleared: { zh: '已清零', en: 'cleared' },
  },
  bond: {
    none: { zh: '无专项债', en: 'no bond' },
    allocated: { zh: '已下达未拨完', en: 'allocated, not fully disbursed' },
    disbursed: { zh: '已拨付完毕', en: 'fully disbursed' },
  },
  statistics: {
    unregistered: { zh: '未入库', en: 'not registered' },
    registered: { zh: '已入库', en: 'registered' },
  },
  support: {
    normal: { zh: '正常', en: 'normal' },
    helpPool: { zh: '帮扶培育库', en: 'help pool' },
  },
};

export const EVENT_LABELS: Record<ProjectEventType, Bilingual> = {
  SIGN: { zh: '签约', en: 'sign' },
  GRANT_PERMIT: { zh: '办证', en: 'grant a permit' },
  GREEN_CHANNEL: { zh: '开通绿色通道', en: 'open the green channel' },
  REPORT_CLEARANCE: { zh: '报送征拆进度', en: 'report land clearance' },
  START_CONSTRUCTION: { zh: '开工', en: 'start construction' },
  REGISTER_STATS: { zh: '入库纳统', en: 'register in statistics' },
  COMPLETE: { zh: '竣工', en: 'complete' },
  START_PRODUCTION: { zh: '投产', en: 'start production' },
  REPORT_OUTPUT: { zh: '报送产值', en: 'report output' },
  ALLOCATE_BOND: { zh: '下达专项债', en: 'allocate bond funds' },
  DISBURSE_BOND: { zh: '拨付专项债', en: 'disburse bond funds' },
  ENTER_HELP_POOL: { zh: '纳入帮扶培育库', en: 'enter the help pool' },
  DROP: { zh: '终止项目', en: 'drop the project' },
};

export const PERMIT_LABELS: Record<PermitKey, Bilingual> = {
  landUsePlanning: { zh: '用地规划许可证', en: 'land-use planning permit' },
  landTitle: { zh: '不动产权证', en: 'land title certificate' },
  engineeringPlanning: { zh: '工程规划许可证', en: 'engineering planning permit' },
  construction: { zh: '施工许可证', en: 'construction permit' },
};
