import type { Engine } from '../engine/index.ts';
import type { ProjectInput } from '../machines/index.ts';

const chain = (unitHead: string) => ({ countyLeader: '县委常委、常务副县长', unitHead, deputy: '分管负责人', handler: '经办员' });

/**
 * A small demo so a new user sees something real at once: projects named in the source
 * article (Zhuzhou Daily on Chaling's 八未 campaign) plus illustrative ones, part-way through,
 * and a few dated events — one of them refused, as happens in real life.
 */
const PROJECTS: ProjectInput[] = [
  { id: 'laikang', name: '莱康新能源', enterprise: '莱康新能源', unitId: 'economic-zone', plannedInvestment: 25000, stage: 'inProduction', permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'], statsRegistered: true, outputTarget: 3000, asOf: '2022-08-01', chain: chain('茶陵经开区党工委书记') },
  { id: 'yipeng', name: '湖南懿鹏航空科技', enterprise: '湖南懿鹏航空科技有限公司', unitId: 'economic-zone', plannedInvestment: 18000, stage: 'inProduction', permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'], statsRegistered: true, outputTarget: 2000, asOf: '2022-08-01' },
  { id: 'longhua', name: '龙华农牧现代农业产业加工园', unitId: 'economic-zone', plannedInvestment: 50000, stage: 'signed', contractAmount: 50000, permits: ['landUsePlanning'], land: { requiredMu: 320, houses: 12, clearedMu: 180, demolished: 5 }, asOf: '2022-08-01', since: '2022-06-10' },
  { id: 'jingcai-2', name: '晶彩电子二期', unitId: 'economic-zone', plannedInvestment: 30000, stage: 'signed', contractAmount: 30000, land: { requiredMu: 120, houses: 4 }, asOf: '2022-08-01', since: '2022-07-01' },
  { id: 'waste-to-energy', name: '株洲南部生活垃圾焚烧发电', unitId: 'urban-management', plannedInvestment: 60000, stage: 'underConstruction', permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'], bond: { allocated: 8000, disbursed: 3000 }, asOf: '2022-08-01' },
  { id: 'xiadong-warehouse', name: '下东街道冷链仓储中心(示例)', unitId: 'xiadong', plannedInvestment: 8000, asOf: '2022-08-01' },
  { id: 'yunyang-road', name: '云阳大道提质改造(示例)', unitId: 'transport', plannedInvestment: 12000, stage: 'signed', contractAmount: 12000, permits: ['landUsePlanning', 'landTitle', 'engineeringPlanning', 'construction'], land: { requiredMu: 46, houses: 9, clearedMu: 40, demolished: 7 }, bond: { allocated: 5000 }, asOf: '2022-08-01' },
  { id: 'huatang-agri', name: '虎踞镇油茶精深加工(示例)', unitId: 'hujv', plannedInvestment: 4500, flags: { xiangshang: true }, asOf: '2022-08-01' },
];

const EVENTS: [string, Record<string, unknown>, string][] = [
  ['jingcai-2', { type: 'GREEN_CHANNEL', at: '2022-08-19' }, 'hq-1'],
  ['longhua', { type: 'REPORT_CLEARANCE', mu: 60, houses: 3, at: '2022-08-25' }, 'hq-1'],
  ['yunyang-road', { type: 'START_CONSTRUCTION', at: '2022-08-28' }, 'hq-1'],
  ['xiadong-warehouse', { type: 'SIGN', contractAmount: 8000, at: '2022-09-02' }, 'hq-1'],
  ['laikang', { type: 'ENTER_HELP_POOL', expert: '刘年勇(经开区产业发展局)', at: '2022-09-05' }, 'hq-1'],
  ['waste-to-energy', { type: 'DISBURSE_BOND', amount: 2000, at: '2022-09-06' }, 'finance-demo'],
  ['laikang', { type: 'REPORT_OUTPUT', month: '2022-08', output: 2650, at: '2022-09-08' }, 'hq-1'],
];

/** Loads the demo projects and events through the engine (journalled like any other). */
export async function loadDemo(engine: Engine): Promise<{ projects: number; events: number; refused: number }> {
  for (const project of PROJECTS) await engine.createProject(project, { actor: 'demo' });
  let refused = 0;
  for (const [id, event, actor] of EVENTS) {
    const outcome = await engine.send(id, event, { actor });
    if (outcome.status !== 'accepted') refused += 1;
  }
  return { projects: PROJECTS.length, events: EVENTS.length, refused };
}
