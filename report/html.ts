import {
  CAMPAIGN_STATE_LABELS,
  completed,
  eachStep,
  ITEMS_PER_STEP,
  MEASURE_LABELS,
  TASKS,
  WEI_KEYS,
  type CampaignReport,
  type MonthSupervision,
  ladderLabels,
  LOCALITIES,
  type Locality,
} from '../machines/index.ts';
import {
  GROUP_LABELS,
  LIGHT_COLOR,
  LIGHT_ZH,
  PROBLEM_SOURCE_LABELS,
  totalRows,
  WEI_LABELS,
  bottomLabel,
  esc,
  eventName,
  illustrativeNotice,
  LEDGER_HEADERS,
  ledgerRow,
  num,
  pct,
  printableCsp,
  projectName,
  taskName,
  unitName,
} from './format.ts';

/** The page's only style sheet; no style attributes, so a hash of this is all its CSP allows. */
const REPORT_CSS = [
  'body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;',
  'margin:2em auto;max-width:960px;color:#222;font-size:14px}',
  'h1{text-align:center;font-size:22px}h2{border-bottom:2px solid #c62828;padding-bottom:4px;margin-top:2em}',
  'table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #999;padding:3px 6px}',
  'th{background:#f1f1f1}td.n{text-align:right}tr.missed ' +
    'td{background:#fdecea}.red{color:#c62828}.center{text-align:center}',
  ...Object.entries(LIGHT_COLOR).map(([light, color]) => `.light.${light}{background:#${color}}`),
  '.light{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:middle}',
  'small{color:#666}.notice{page-break-inside:auto}',
  '@media print{h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}body{margin:0}}',
  // 示例数据: a banner at the top, and on every printed page (a fixed element repeats per page).
  '.illustrative{border:2px solid #c62828;color:#c62828;background:#fdecea;padding:6px 10px;font-weight:bold;' +
    'text-align:center;margin:0 0 1em}',
  '.illustrative.every{display:none}',
  '@media print{.illustrative.every{display:block;position:fixed;top:0;left:0;right:0;margin:0;font-size:11px;' +
    'padding:2px}body{padding-top:2em}}',
].join('\n');

/**
 * The Content-Security-Policy the printable page is served with: nothing but its own style
 * sheet (by hash) — no scripts, no network, no framing.
 */
export const REPORT_CSP = printableCsp(REPORT_CSS);

/** A table row of cells already escaped (a cell may be `{ html, attrs }` for a class or a span). */
function row(cells: (string | number | { html: string; attrs: string })[], attrs = ''): string {
  const td = (c: (typeof cells)[number]) => (typeof c === 'object' ? `<td ${c.attrs}>${c.html}</td>` : `<td>${c}</td>`);
  return `<tr${attrs === '' ? '' : ` ${attrs}`}>${cells.map(td).join('')}</tr>`;
}

/** A table with a header row (`headers`, plain text) and body rows (HTML). */
function table(headers: string[], rows: string[]): string {
  const head = headers.length === 0 ? '' : `<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
  return `<table>${head}<tbody>${rows.join('')}</tbody></table>`;
}

const light = (l: keyof typeof LIGHT_ZH) => `<span class="light ${l}"></span>${LIGHT_ZH[l]}`;

function burnDownSvg(report: CampaignReport): string {
  const series = report.burnDown;
  const last = series.at(-1)!;
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
  for (const key of [...WEI_KEYS].sort((a, b) => y(last.counts[a]) - y(last.counts[b]))) {
    floor = Math.max(floor + 11, y(last.counts[key]));
    labelY.set(key, floor);
  }
  const lines = WEI_KEYS.map((key, k) => {
    const points = series.map((d, i) => `${x(i).toFixed(1)},${y(d.counts[key]).toFixed(1)}`).join(' ');
    const label = `${esc(WEI_LABELS[key].zh)} ${last.counts[key]}`;
    return (
      `<polyline fill="none" stroke="${colors[k]}" stroke-width="1.8" points="${points}"/>` +
      `<text x="${plotRight + 6}" y="${(labelY.get(key)! + 3).toFixed(1)}" font-size="10" ` +
      `fill="${colors[k]}">${label}</text>`
    );
  }).join('');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const at = y(max * f);
      return (
        `<line x1="40" x2="${plotRight}" y1="${at}" y2="${at}" stroke="#ddd"/>` +
        `<text x="34" y="${at + 3}" font-size="9" text-anchor="end">${Math.round(max * f)}</text>`
      );
    })
    .join('');
  const dates =
    `<text x="40" y="${h - 10}" font-size="9">${series[0]!.date}</text>` +
    `<text x="${plotRight}" y="${h - 10}" font-size="9" text-anchor="end">${last.date}</text>`;
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="八未项目数量走势">${axis}${lines}${dates}</svg>`;
}

function supervisionSection(
  s: MonthSupervision,
  bottomN: number,
  locality: Locality,
  lightsBasis: 'plan' | 'calendar',
): string {
  const ladder = ladderLabels(locality);
  // The light's column says what it measures against.
  const lightHeader = lightsBasis === 'plan' ? '对照计划' : '对照序时';
  const groups = [...new Set(s.units.map((u) => u.group))];
  const tables = groups
    .map((group) => {
      const members = s.units.filter((u) => u.group === group);
      const tasks = TASKS.filter((t) => members.some((u) => u.tasks.find((x) => x.task === t)!.rate !== null));
      if (tasks.length === 0) return '';
      const rows = tasks.flatMap((task) => {
        const ranked = members
          .map((u) => ({ u, t: u.tasks.find((x) => x.task === task)! }))
          .filter((r) => r.t.rate !== null)
          .sort((a, b) => a.t.rank! - b.t.rank!);
        return ranked.map(({ u, t }, i) => {
          const missed = t.actual < t.target;
          const added = t.newActual > 0 ? `<small>(新增 ${num(t.newActual)})</small>` : '';
          const cells = [
            ...(i === 0 ? [{ html: esc(taskName(task)), attrs: `rowspan="${ranked.length}"` }] : []),
            t.rank ?? '',
            esc(u.name),
            num(t.target),
            `${num(t.actual)}${added}`,
            pct(t.rate),
            `${missed ? '未完成' : '完成'}${t.bottom ? `,${bottomLabel(bottomN)}` : ''}`,
            t.light === null ? '—' : light(t.light),
          ];
          return row(cells, missed ? 'class="missed"' : '');
        });
      });
      const headers = ['攻坚任务', '排名', '单位', '目标', '完成', '完成率', '情况', lightHeader];
      return `<h4>${esc(GROUP_LABELS[group].zh)}</h4>${table(headers, rows)}`;
    })
    .join('');
  const interviews = s.units.filter((u) => u.step === 'deputyInterview' || u.step === 'secretaryInterview');
  const decision = (u: MonthSupervision['units'][number]) =>
    `<li><b>${esc(u.name)}</b>:${esc(ladder[u.step].zh)}` +
    `(未完成:${u.missedTasks.map((t) => esc(taskName(t))).join('、')})</li>`;
  const decisions =
    interviews.length === 0 ? '<p>本月无约谈单位。</p>' : `<ul>${interviews.map(decision).join('')}</ul>`;
  const title = `${s.month} 督查通报(${s.from} 至 ${s.to},序时进度 ${pct(s.elapsed)})`;
  return `<section class="notice"><h3>${title}</h3>${tables}<h4>约谈与通报</h4>${decisions}</section>`;
}

/** Assessment rows in rank order; units not scored (no target) last. */
const byRank = (a: { rankInGroup: number | null }, b: { rankInGroup: number | null }) =>
  (a.rankInGroup ?? Number.MAX_SAFE_INTEGER) - (b.rankInGroup ?? Number.MAX_SAFE_INTEGER);

const problemState = (p: CampaignReport['problems'][number]) =>
  p.state === 'verified'
    ? '已核验销号'
    : p.state === 'resolved'
      ? '已销号待核验'
      : p.overdue
        ? '<b class="red">逾期</b>'
        : '办理中';

/**
 * The campaign report as a printable zh-CN HTML page: 成果, the monthly 督查通报 (units ranked
 * per task within their group, missed targets marked), interviews and notices, the 八未
 * burn-down, problems, refusals and the final 考核总结. Self-contained: no scripts, no network.
 */
export function reportHtml(report: CampaignReport): string {
  return completed(reportHtmlSteps(report));
}

/**
 * The rows of a long list, made a thousand at a time (pausing between), each thousand joined as it
 * is made: joining 100,000 rows at the end held the event loop ≈ 0.2 s. Joined again with the same
 * `separator`, the chunks give the whole list.
 */
function* rowsOf<T>(items: readonly T[], make: (item: T) => string, separator = ''): Generator<void, string[]> {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_STEP) {
    out.push(
      items
        .slice(i, i + ITEMS_PER_STEP)
        .map(make)
        .join(separator),
    );
    yield;
  }
  return out;
}

/**
 * {@link reportHtml} in steps: the long lists (台账, 八未 lists, lights, problems, refusals) pause
 * as they go — at 100,000 projects the page (20 MB) took 1.3–1.5 s at once (BENCHMARKS.md, session
 * 13); a server runs it a slice at a time (engine's `inSlices`).
 */
export function* reportHtmlSteps(report: CampaignReport): Generator<void, string> {
  const c = report.campaign;
  const t = report.totals;
  const totals = totalRows(report).map(({ label, value }) =>
    row([esc(label), { html: num(value), attrs: 'class="n"' }]),
  );
  const met = t.landTaskMet ? `已于 ${t.landTaskMetOn}(第 ${t.landTaskMetDay} 天)完成` : '尚未完成';
  const land = t.landTaskMu === null ? '' : `<p>征地拆迁 ${num(t.landTaskMu)} 亩任务:${met}。</p>`;
  const source = (s: string) => PROBLEM_SOURCE_LABELS[s as keyof typeof PROBLEM_SOURCE_LABELS]?.zh ?? s;
  const problems = yield* rowsOf(report.problems, (p) =>
    row([
      esc(p.raisedOn),
      `${esc(projectName(report, p.projectId))}:${esc(p.title)}(${esc(source(p.source))})`,
      esc(p.unitId === null ? '—' : unitName(report, p.unitId)),
      esc(p.due ?? '—'),
      problemState(p),
    ]),
  );
  const refusals = yield* rowsOf(report.refusals.list, (r) =>
    row([esc(r.at ?? ''), esc(projectName(report, r.projectId)), esc(eventName(r.type)), esc(r.zh)]),
  );
  const assessment = (report.assessment ?? [])
    .slice()
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : byRank(a, b)))
    .map((a) =>
      row([
        esc(GROUP_LABELS[a.group].zh),
        a.rankInGroup ?? '不参与排名',
        esc(a.name),
        { html: a.score === null ? '无任务' : a.score.toFixed(1), attrs: 'class="n"' },
        a.monthsMissed,
        a.interviews,
        a.notified,
        a.accountability,
      ]),
    );
  const lights = yield* rowsOf(report.projectLights, (l) =>
    row([esc(projectName(report, l.projectId)), esc(unitName(report, l.unitId)), light(l.light), esc(l.reason.zh)]),
  );
  const state = esc(CAMPAIGN_STATE_LABELS[c.state]?.zh ?? c.state);
  const baseline =
    `攻坚启动时(冻结名单)"八未"项目 ${report.baseline.projectsInAny} 个;` +
    `攻坚期间新进入"八未"并单独跟踪的项目 ${report.baseline.enteredLater} 个。`;
  // Each 八未 with the projects in it (names), not only the count.
  const inWei = new Map(WEI_KEYS.map((key) => [key as string, [] as typeof report.projects]));
  yield* eachStep(report.projects, (p) => {
    for (const key of p.wei) inWei.get(key)?.push(p);
  });
  let weiLists = '';
  for (const key of WEI_KEYS) {
    const projects = inWei.get(key)!;
    const names = (yield* rowsOf(projects, (p) => esc(p.name), '、')).join('、');
    weiLists += `<p><b>${esc(WEI_LABELS[key].zh)}(${projects.length} 个)</b>:${names || '无'}</p>`;
  }
  const ledgerRows = yield* rowsOf(report.projects, (p) => row(ledgerRow(report, p).map(esc)));
  const missing = yield* rowsOf(
    report.investment.missing,
    (m) => `${esc(projectName(report, m.projectId))}(${m.months.join('、')})`,
    ';',
  );
  const measures = report.measures.some((m) => m.records > 0)
    ? `<h3>攻坚举措</h3>${table(
        ['举措', '合计', '各单位'],
        report.measures.map((m) =>
          row([
            esc(MEASURE_LABELS[m.measure].zh),
            `${m.total} ${MEASURE_LABELS[m.measure].unit.zh}`,
            esc(
              Object.entries(m.byUnit)
                .map(([u, n]) => `${unitName(report, u)} ${n}`)
                .join('、') || '—',
            ),
          ]),
        ),
      )}`
    : '';
  const illustrative = illustrativeNotice(report);
  const notice =
    illustrative === null
      ? ''
      : `<div class="illustrative" role="note">${esc(illustrative)}</div>` +
        `<div class="illustrative every" aria-hidden="true">${esc(illustrative)}</div>`;
  const warnings =
    report.warnings.length === 0
      ? ''
      : `<p><b>目标提示</b>(目标超过攻坚启动时可完成的项目数${
          c.scope === 'all' ? ',期间新增项目亦可计入' : ''
        }):</p><ul>${report.warnings.map((w) => `<li>${esc(w.zh)}</li>`).join('')}</ul>`;
  // 填报审核 and 更正: only when the campaign has any (a campaign without review reads as before).
  const r = report.reviews;
  const reviews =
    r.pending === 0 && r.corrections.length === 0
      ? ''
      : `<h3>填报审核与更正</h3><p>截至 ${esc(r.asOf ?? c.end)},待审核填报 ${r.pending} 件,` +
        `其中超过审核时限 ${r.overdue} 件(待审核不计入完成数)。</p>` +
        (r.byUnit.length === 0
          ? ''
          : table(
              ['单位', '待审核', '超时'],
              r.byUnit.map((u) => row([esc(unitName(report, u.unitId)), u.pending, u.overdue])),
            )) +
        (r.corrections.length === 0
          ? ''
          : table(
              ['项目', '事项', '更正', '原因', '更正人'],
              r.corrections.map((x) =>
                row([
                  esc(projectName(report, x.projectId)),
                  esc(eventName(x.type)),
                  x.void ? `作废第 ${x.supersedes} 条` : `更正第 ${x.supersedes} 条`,
                  esc(x.reason),
                  esc(x.actor),
                ]),
              ),
            ));
  const programmes =
    report.programmes.length === 0
      ? ''
      : `<h3>项目群(打捆项目)</h3>${table(
          ['项目群', '子项目', '计划投资', '已开工', '完成投资', '征拆', '规模', '核对'],
          report.programmes.map((g) =>
            row([
              esc(g.name),
              g.subProjects,
              `${g.investment.planned} 万元`,
              `${g.investment.started} 万元`,
              `${g.investment.invested} 万元`,
              `${g.land.clearedMu}/${g.land.requiredMu} 亩`,
              g.capacity === null ? '—' : esc(`${g.capacity.started}/${g.capacity.total} ${g.capacity.unit}`),
              esc(g.discrepancies.map((d) => d.zh).join(';') || '一致'),
            ]),
          ),
        )}`;
  const inv = report.investment;
  const investment = !inv.tracked
    ? ''
    : `<h3>完成投资</h3><p>计划总投资 ${inv.planned} 万元,年度计划 ${inv.annualPlan} 万元,攻坚期完成 ${inv.completed} 万元` +
      `${inv.rate === null ? '' : `(完成年度计划 ${(inv.rate * 100).toFixed(1)}%)`}。</p>` +
      table(
        ['单位', '计划总投资', '年度计划', '攻坚期完成', '完成率'],
        inv.byUnit.map((u) =>
          row([
            esc(unitName(report, u.unitId)),
            u.planned,
            u.annualPlan,
            u.completed,
            u.rate === null ? '—' : `${(u.rate * 100).toFixed(1)}%`,
          ]),
        ),
      ) +
      (inv.missing.length === 0 ? '' : `<p><b>已入库未报完成投资</b>:${missing.join(';')}</p>`);
  const final =
    report.assessment === null
      ? ''
      : '<h2>七、考核总结</h2><p>得分 = 各月各项攻坚任务完成率(封顶 100%)的平均值 × 100,分组排名;结果纳入单位年度绩效考核。</p>' +
        table(
          ['分组', '排名', '单位', '得分', '未完成月数', '被约谈', `全${LOCALITIES[c.locality].zh}通报`, '问责'],
          assessment,
        );
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(c.name)} — 督查通报与考核总结</title>
<style>${REPORT_CSS}</style></head><body>${notice}
<h1>${esc(c.name)}</h1>
<p class="center">攻坚期 ${c.start} 至 ${c.end}(${c.days} 天) · 当前状态:${state}</p>
<h2>一、攻坚成果</h2>${table([], totals)}${land}${measures}${investment}${programmes}
<p>${baseline}</p>${warnings}
<h2>二、"八未"项目数量走势</h2>${burnDownSvg(report)}
<p>终止项目不计入"八未",单独统计:截至${esc(report.burnDown.at(-1)?.date ?? c.end)}终止 ${report.burnDown.at(-1)?.dropped ?? 0} 个。</p>
<h2>三、每月督查通报</h2>${report.supervisions.map((s) => supervisionSection(s, c.bottomN, c.locality, c.lightsBasis)).join('')}
<h2>四、问题清单(交办销号)</h2>${table(['提出日期', '问题', '责任单位', '时限', '状态'], problems)}
<h2>五、项目红黄灯</h2>${table(['项目', '单位', '灯', '原因'], lights)}
<h3>"八未"项目清单</h3>${weiLists}
<h3>项目台账(${report.projects.length} 个)</h3>${table(LEDGER_HEADERS, ledgerRows)}
<h2>六、未获通过的报送(${report.refusals.count} 条)</h2>${table(['日期', '项目', '事项', '原因'], refusals)}
${reviews}
${final}
</body></html>
`;
}
