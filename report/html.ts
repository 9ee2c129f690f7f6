import {
  CAMPAIGN_STATE_LABELS,
  TASKS,
  WEI_KEYS,
  type CampaignReport,
  type MonthSupervision,
} from '../machines/index.ts';
import { createHash } from 'node:crypto';
import {
  GROUP_LABELS,
  LADDER_LABELS,
  LIGHT_COLOR,
  LIGHT_ZH,
  PROBLEM_SOURCE_LABELS,
  TOTAL_LABELS,
  WEI_LABELS,
  bottomLabel,
  num,
  pct,
  taskName,
} from './format.ts';

/** The page's only style sheet; no style attributes, so a hash of this is all its CSP allows. */
const REPORT_CSS = `
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:960px;color:#222;font-size:14px}
h1{text-align:center;font-size:22px}h2{border-bottom:2px solid #c62828;padding-bottom:4px;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #999;padding:3px 6px}th{background:#f1f1f1}
td.n{text-align:right}tr.missed td{background:#fdecea}.red{color:#c62828}${Object.entries(LIGHT_COLOR)
  .map(([light, color]) => `.light.${light}{background:#${color}}`)
  .join('')}.center{text-align:center}
.light{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:middle}
small{color:#666}.notice{page-break-inside:auto}@media print{h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}body{margin:0}}
`;

/**
 * The Content-Security-Policy the printable page is served with: nothing but its own style
 * sheet (by hash) — no scripts, no network, no framing.
 */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function burnDownSvg(report: CampaignReport): string {
  const series = report.burnDown;
  const max = Math.max(1, ...series.flatMap((d) => Object.values(d.counts)));
  const w = 720;
  const h = 280;
  // The plot stops short of the right edge: the end labels sit in the margin, clear of the lines.
  const plotRight = w - 130;
  const x = (i: number) => 40 + (i / Math.max(1, series.length - 1)) * (plotRight - 40);
  const y = (v: number) => h - 30 - (v / max) * (h - 50);
  const colors = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#c62828', '#795548', '#546e7a'];
  // End labels, pushed apart so that lines ending close together stay readable.
  const labelY = new Map<string, number>();
  let floor = -Infinity;
  for (const key of [...WEI_KEYS].sort((a, b) => y(series.at(-1)!.counts[a]) - y(series.at(-1)!.counts[b]))) {
    floor = Math.max(floor + 11, y(series.at(-1)!.counts[key]));
    labelY.set(key, floor);
  }
  const lines = WEI_KEYS.map((key, k) => {
    const points = series.map((d, i) => `${x(i).toFixed(1)},${y(d.counts[key]).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${colors[k]}" stroke-width="1.8" points="${points}"/><text x="${plotRight + 6}" y="${(labelY.get(key)! + 3).toFixed(1)}" font-size="10" fill="${colors[k]}">${esc(WEI_LABELS[key].zh)} ${series.at(-1)!.counts[key]}</text>`;
  }).join('');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="40" x2="${plotRight}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#ddd"/><text x="34" y="${y(max * f) + 3}" font-size="9" text-anchor="end">${Math.round(max * f)}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="八未项目数量走势">${axis}${lines}<text x="40" y="${h - 10}" font-size="9">${series[0]!.date}</text><text x="${plotRight}" y="${h - 10}" font-size="9" text-anchor="end">${series.at(-1)!.date}</text></svg>`;
}

function supervisionSection(s: MonthSupervision, bottomN: number): string {
  const groups = [...new Set(s.units.map((u) => u.group))];
  const tables = groups
    .map((group) => {
      const members = s.units.filter((u) => u.group === group);
      const tasks = TASKS.filter((t) => members.some((u) => u.tasks.find((x) => x.task === t)!.rate !== null));
      if (tasks.length === 0) return '';
      const rows = tasks
        .flatMap((task) => {
          const ranked = members
            .map((u) => ({ u, t: u.tasks.find((x) => x.task === task)! }))
            .filter((r) => r.t.rate !== null)
            .sort((a, b) => a.t.rank! - b.t.rank!);
          return ranked.map(
            ({ u, t }, i) =>
              `<tr class="${t.actual < t.target ? 'missed' : ''}">${i === 0 ? `<td rowspan="${ranked.length}">${esc(taskName(task))}</td>` : ''}<td>${t.rank}</td><td>${esc(u.name)}</td><td>${num(t.target)}</td><td>${num(t.actual)}${t.newActual > 0 ? `<small>(新增 ${num(t.newActual)})</small>` : ''}</td><td>${pct(t.rate)}</td><td>${t.actual < t.target ? '未完成' : '完成'}${t.bottom ? `,${bottomLabel(bottomN)}` : ''}</td><td>${t.light === null ? '—' : `<span class="light ${t.light}"></span>${LIGHT_ZH[t.light]}`}</td></tr>`,
          );
        })
        .join('');
      return `<h4>${esc(GROUP_LABELS[group].zh)}</h4><table><thead><tr><th>攻坚任务</th><th>排名</th><th>单位</th><th>目标</th><th>完成</th><th>完成率</th><th>情况</th><th>序时</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('');
  const interviews = s.units.filter((u) => u.step === 'deputyInterview' || u.step === 'secretaryInterview');
  const decisions =
    interviews.length === 0
      ? '<p>本月无约谈单位。</p>'
      : `<ul>${interviews.map((u) => `<li><b>${esc(u.name)}</b>:${esc(LADDER_LABELS[u.step].zh)}(未完成:${u.missedTasks.map((t) => esc(taskName(t))).join('、')})</li>`).join('')}</ul>`;
  return `<section class="notice"><h3>${s.month} 督查通报(${s.from} 至 ${s.to},序时进度 ${pct(s.elapsed)})</h3>${tables}<h4>约谈与通报</h4>${decisions}</section>`;
}

/**
 * The campaign report as a printable zh-CN HTML page: 成果, the monthly 督查通报 (units ranked
 * per task within their group, missed targets marked), interviews and notices, the 八未
 * burn-down, problems, refusals and the final 考核总结. Self-contained: no scripts, no network.
 */
export function reportHtml(report: CampaignReport): string {
  const c = report.campaign;
  const totals = TOTAL_LABELS.map(
    ([key, label]) =>
      `<tr><td>${esc(label)}</td><td class="n">${num(report.totals[key as keyof typeof report.totals] as number)}</td></tr>`,
  ).join('');
  const land =
    report.totals.landTaskMu === null
      ? ''
      : `<p>征地拆迁 ${num(report.totals.landTaskMu)} 亩任务:${report.totals.landTaskMet ? `已于 ${report.totals.landTaskMetOn}(第 ${report.totals.landTaskMetDay} 天)完成` : '尚未完成'}。</p>`;
  const problems = report.problems
    .map(
      (p) =>
        `<tr><td>${esc(p.raisedOn)}</td><td>${esc(p.title)}(${esc(PROBLEM_SOURCE_LABELS[p.source as keyof typeof PROBLEM_SOURCE_LABELS]?.zh ?? p.source)})</td><td>${esc(p.unitId ?? '—')}</td><td>${esc(p.due ?? '—')}</td><td>${p.state === 'verified' ? '已核验销号' : p.state === 'resolved' ? '已销号待核验' : p.overdue ? '<b class="red">逾期</b>' : '办理中'}</td></tr>`,
    )
    .join('');
  const refusals = report.refusals.list
    .map(
      (r) =>
        `<tr><td>${esc(r.at ?? '')}</td><td>${esc(r.projectId)}</td><td>${esc(r.type)}</td><td>${esc(r.zh)}</td></tr>`,
    )
    .join('');
  const assessment = (report.assessment ?? [])
    .slice()
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.rankInGroup - b.rankInGroup))
    .map(
      (a) =>
        `<tr><td>${esc(GROUP_LABELS[a.group].zh)}</td><td>${a.rankInGroup}</td><td>${esc(a.name)}</td><td class="n">${a.score.toFixed(1)}</td><td>${a.monthsMissed}</td><td>${a.interviews}</td><td>${a.notified}</td><td>${a.accountability}</td></tr>`,
    )
    .join('');
  const lights = report.projectLights
    .map(
      (l) =>
        `<tr><td>${esc(l.projectId)}</td><td>${esc(l.unitId)}</td><td><span class="light ${l.light}"></span>${LIGHT_ZH[l.light]}</td><td>${esc(l.reason.zh)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(c.name)} — 督查通报与考核总结</title>
<style>${REPORT_CSS}</style></head><body>
<h1>${esc(c.name)}</h1>
<p class="center">攻坚期 ${c.start} 至 ${c.end}(${c.days} 天) · 当前状态:${esc(CAMPAIGN_STATE_LABELS[c.state]?.zh ?? c.state)}</p>
<h2>一、攻坚成果</h2><table><tbody>${totals}</tbody></table>${land}
<p>攻坚启动时(冻结名单)"八未"项目 ${report.baseline.projectsInAny} 个;攻坚期间新进入"八未"并单独跟踪的项目 ${report.baseline.enteredLater} 个。</p>
<h2>二、"八未"项目数量走势</h2>${burnDownSvg(report)}
<h2>三、每月督查通报</h2>${report.supervisions.map((s) => supervisionSection(s, c.bottomN)).join('')}
<h2>四、问题清单(交办销号)</h2><table><thead><tr><th>提出日期</th><th>问题</th><th>责任单位</th><th>时限</th><th>状态</th></tr></thead><tbody>${problems}</tbody></table>
<h2>五、项目红黄灯</h2><table><thead><tr><th>项目</th><th>单位</th><th>灯</th><th>原因</th></tr></thead><tbody>${lights}</tbody></table>
<h2>六、未获通过的报送(${report.refusals.count} 条)</h2><table><thead><tr><th>日期</th><th>项目</th><th>事项</th><th>原因</th></tr></thead><tbody>${refusals}</tbody></table>
${report.assessment === null ? '' : `<h2>七、考核总结</h2><p>得分 = 各月各项攻坚任务完成率(封顶 100%)的平均值 × 100,分组排名;结果纳入单位年度绩效考核。</p><table><thead><tr><th>分组</th><th>排名</th><th>单位</th><th>得分</th><th>未完成月数</th><th>被约谈</th><th>全县通报</th><th>问责</th></tr></thead><tbody>${assessment}</tbody></table>`}
</body></html>
`;
}
