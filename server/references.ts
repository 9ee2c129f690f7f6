import type { CampaignService } from '../engine/index.ts';
import { HttpProblem } from './http-problem.ts';

/** 422 for a reference to a unit no campaign defines, listing (some of) those that exist. */
export function unknownUnit(field: string, unitId: string, campaigns: CampaignService): HttpProblem {
  const known = [...(campaigns.knownUnits()?.entries() ?? [])];
  const list = known.slice(0, 30);
  const more = known.length > list.length ? ` …(+${known.length - list.length})` : '';
  return new HttpProblem(
    422,
    'unknown-unit',
    {
      title: '内容不合规',
      detail: `${field}: 责任单位 ${unitId} 不存在;现有单位:${list.map(([id, name]) => `${id}(${name})`).join('、')}${more}`,
    },
    {
      title: 'Invalid payload',
      detail: `${field}: no unit ${unitId}; the units are: ${list.map(([id]) => id).join(', ')}${more}`,
    },
    { field },
  );
}
