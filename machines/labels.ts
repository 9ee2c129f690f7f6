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
  SET_OUTPUT_TARGET: { zh: '设定达产目标', en: 'set the output target' },
  REPORT_INVESTMENT: { zh: '报送完成投资', en: 'report investment' },
  REPORT_PROGRESS: { zh: '报送形象进度', en: 'report progress on site' },
  REVISE_PLAN: { zh: '调整计划总投资', en: 'revise the planned total' },
};

/** Fields of events and inputs as forms label them, with the unit a number is in. */
export const FIELD_LABELS: Record<string, Bilingual & { unit?: Bilingual }> = {
  at: { zh: '日期', en: 'date' },
  contractAmount: { zh: '合同金额', en: 'contract amount', unit: { zh: '万元', en: '10k yuan' } },
  permit: { zh: '证件', en: 'permit' },
  mu: { zh: '本次征拆面积', en: 'land cleared this time', unit: { zh: '亩', en: 'mu' } },
  houses: { zh: '本次拆除房屋', en: 'houses demolished this time', unit: { zh: '栋', en: 'houses' } },
  month: { zh: '月份', en: 'month' },
  output: { zh: '当月产值', en: 'output of the month', unit: { zh: '万元', en: '10k yuan' } },
  amount: { zh: '金额', en: 'amount', unit: { zh: '万元', en: '10k yuan' } },
  expert: { zh: '帮扶专家', en: 'expert' },
  reason: { zh: '原因', en: 'reason' },
  note: { zh: '办理情况', en: 'what was done' },
  unitId: { zh: '责任单位', en: 'unit' },
  unit: { zh: '责任单位', en: 'unit' },
  due: { zh: '办结时限', en: 'due' },
  title: { zh: '问题', en: 'problem' },
  source: { zh: '来源', en: 'source' },
  raisedOn: { zh: '提出日期', en: 'raised on' },
  projectId: { zh: '项目', en: 'project' },
  name: { zh: '名称', en: 'name' },
  plannedInvestment: { zh: '计划投资', en: 'planned investment', unit: { zh: '万元', en: '10k yuan' } },
  outputTarget: {
    zh: '达产目标(设计月产值)',
    en: 'output target (designed monthly output)',
    unit: { zh: '万元', en: '10k yuan' },
  },
  targetMonths: { zh: '达产所需连续月数', en: 'consecutive months at target' },
  purpose: { zh: '项目性质', en: 'purpose' },
  percent: { zh: '形象进度', en: 'progress', unit: { zh: '%', en: '%' } },
  measure: { zh: '举措', en: 'measure' },
  count: { zh: '次数(件数)', en: 'count' },
  annualPlan: { zh: '年度计划投资', en: 'annual plan', unit: { zh: '万元', en: '10k yuan' } },
  programmeId: { zh: '所属项目群', en: 'programme' },
};

export const PERMIT_LABELS: Record<PermitKey, Bilingual> = {
  landUsePlanning: { zh: '用地规划许可证', en: 'land-use planning permit' },
  landTitle: { zh: '不动产权证', en: 'land title certificate' },
  engineeringPlanning: { zh: '工程规划许可证', en: 'engineering planning permit' },
  construction: { zh: '施工许可证', en: 'construction permit' },
};
