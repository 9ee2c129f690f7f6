// bench/simulate.ts
import { mkdtemp, rm as rm5 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join5 } from "node:path";
import { parseArgs } from "node:util";
import { setFlagsFromString as setFlagsFromString2 } from "node:v8";
import { runInNewContext } from "node:vm";
import { createActor as createActor3 } from "xstate";

// engine/engine.ts
import { createActor as createActor2 } from "xstate";

// machines/dates.ts
var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
var ISO_MONTH = /^(\d{4})-(\d{2})$/;
function isLeap(year) {
  return year % 4 === 0 && year % 100 !== 0 || year % 400 === 0;
}
function daysInMonth(year, month) {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
function isIsoDate(value) {
  if (typeof value !== "string") return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}
function isIsoMonth(value) {
  if (typeof value !== "string") return false;
  const m = ISO_MONTH.exec(value);
  return m !== null && Number(m[1]) >= 1900 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}
function monthOf(date2) {
  return date2.slice(0, 7);
}
function dayNumber(date2) {
  const year = Number(date2.slice(0, 4));
  const month = Number(date2.slice(5, 7));
  const day = Number(date2.slice(8, 10));
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function fromDayNumber(n) {
  const z10 = n + 719468;
  const era = Math.floor(z10 / 146097);
  const doe = z10 - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
function daysBetween(from, to) {
  return dayNumber(to) - dayNumber(from);
}
function addDays(date2, days) {
  return fromDayNumber(dayNumber(date2) + days);
}
function monthsBetween(from, to) {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  const toDay = Number(to.slice(8, 10));
  const fromDay = Math.min(Number(from.slice(8, 10)), daysInMonth(Number(to.slice(0, 4)), Number(to.slice(5, 7))));
  return toDay >= fromDay ? months : months - 1;
}
function endOfMonth(date2) {
  const year = Number(date2.slice(0, 4));
  const month = Number(date2.slice(5, 7));
  return `${date2.slice(0, 7)}-${String(daysInMonth(year, month)).padStart(2, "0")}`;
}
function weekday(date2) {
  return ((dayNumber(date2) + 4) % 7 + 7) % 7;
}
function addWorkingDays(date2, n) {
  let day = date2;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    const w = weekday(day);
    if (w !== 0 && w !== 6) left -= 1;
  }
  return day;
}

// machines/rules.ts
function reject(rule2, zh, en) {
  return { rule: rule2, zh, en };
}
function notInFuture(at, clock, what = { zh: "\u4E8B\u4EF6\u65E5\u671F", en: "the event date" }) {
  if (clock === void 0 || !isIsoDate(at) || at <= clock.latestDate) return null;
  const allowed = clock.latestDate === clock.today ? "" : `(\u6700\u665A\u53EF\u62A5 ${clock.latestDate})`;
  const allowedEn = clock.latestDate === clock.today ? "" : ` (the latest allowed is ${clock.latestDate})`;
  return {
    rule: "eventDateFuture",
    zh: `${what.zh} ${at} \u665A\u4E8E\u4ECA\u5929 ${clock.today}${allowed}:\u4E0D\u80FD\u62A5\u9001\u5C1A\u672A\u53D1\u751F\u7684\u4E8B`,
    en: `${what.en} ${at} is after today, ${clock.today}${allowedEn}: nothing can be reported before it happens`,
    today: clock.today,
    latestDate: clock.latestDate
  };
}
var datedInOrder = (context, event) => {
  const at = event?.at;
  if (!isIsoDate(at))
    return reject(
      "eventDate",
      `\u4E8B\u4EF6\u65E5\u671F\u65E0\u6548:\u300C${String(at)}\u300D,\u5E94\u4E3A YYYY-MM-DD`,
      `invalid event date "${String(at)}", expected YYYY-MM-DD`
    );
  if (context.lastEventAt !== null && at < context.lastEventAt) {
    return reject(
      "eventDateOrder",
      `\u4E8B\u4EF6\u65E5\u671F ${at} \u65E9\u4E8E\u6700\u8FD1\u4E00\u6B21\u8BB0\u5F55\u7684\u65E5\u671F ${context.lastEventAt}`,
      `event date ${at} is before the latest record, ${context.lastEventAt}`
    );
  }
  return null;
};
function firstRejection(checks, context, event) {
  for (const check of checks) {
    const rejection = check(context, event);
    if (rejection !== null) return rejection;
  }
  return null;
}
function ruleKit(options) {
  return {
    common: options.common,
    rule(preconditions, payload = []) {
      const all = [...options.common, ...preconditions, ...payload];
      return {
        preconditions: [...options.commonPreconditions ?? [], ...preconditions],
        check: (context, event) => firstRejection(all, context, event),
        checks: all.map((c) => c.name || "check")
      };
    }
  };
}
function ruleChecks(rules) {
  return Object.fromEntries(Object.entries(rules).map(([name2, rule2]) => [name2, rule2.checks]));
}
function guardsFrom(rules) {
  const guards = {};
  for (const name2 of Object.keys(rules)) {
    const { check } = rules[name2];
    guards[name2] = ({ context, event }) => check(context, event) === null;
  }
  return guards;
}
function readHandlers(machine, rules, labels) {
  const handlers = /* @__PURE__ */ new Map();
  const root = machine.root;
  const regions = root.type === "parallel" ? Object.entries(root.states).map(([key, node]) => [key, node]) : [[null, root]];
  const note = (type, region, state, transitions) => {
    if (!Object.hasOwn(labels.events, type)) return;
    const guard = transitions[0]?.guard;
    if (transitions.length !== 1 || typeof guard !== "string" || !Object.hasOwn(rules, guard)) {
      throw new Error(
        `${machine.id}: ${type} in ${region ?? ""}.${state ?? "(root)"} must be one transition guarded by a named rule`
      );
    }
    const handler = handlers.get(type) ?? { region, byState: /* @__PURE__ */ new Map(), always: null };
    if (handler.region !== region) throw new Error(`${machine.id}: ${type} is handled in two regions`);
    if (state === null) handler.always = guard;
    else handler.byState.set(state, guard);
    handlers.set(type, handler);
  };
  for (const [region, node] of regions) {
    for (const [type, transitions] of Object.entries(node.on)) note(type, region, null, transitions);
    for (const [state, child] of Object.entries(node.states)) {
      if (Object.keys(child.states).length > 0)
        throw new Error(`${machine.id}: ${region ?? ""}.${state} has child states; the rule kernel reads flat regions`);
      for (const [type, transitions] of Object.entries(child.on)) note(type, region, state, transitions);
    }
  }
  return handlers;
}
function explainerFor(machine, rules, labels, common2) {
  const handlers = readHandlers(machine, rules, labels);
  const stateLabel = (region, state) => {
    const table = region === null ? labels.states : labels.states[region];
    return table?.[state] ?? { zh: state, en: state };
  };
  const current = (view, region) => String(region === null ? view.value : view.value[region]);
  const ruleNow = (view, handler) => handler.always ?? handler.byState.get(current(view, handler.region));
  function wrongState(type, view, handler) {
    const { region } = handler;
    const now = stateLabel(region, current(view, region));
    const needed = [...handler.byState.keys()].map((s) => stateLabel(region, s));
    const where = region === null ? { zh: "\u5F53\u524D", en: "it" } : labels.regions?.[region] ?? { zh: region, en: region };
    const event = labels.events[type];
    return reject(
      region === null ? "state" : `${region}State`,
      `\u4E0D\u80FD${event.zh}:${where.zh}\u4E3A\u300C${now.zh}\u300D,\u987B\u4E3A\u300C${needed.map((n) => n.zh).join("\u300D\u6216\u300C")}\u300D`,
      `cannot ${event.en}: ${where.en} is "${now.en}", must be "${needed.map((n) => n.en).join('" or "')}"`
    );
  }
  return {
    /**
     * Why the machine would refuse `event`, or `null` if it would accept it: exactly its own
     * decision (`s.can(e)`), plus — given the engine's `clock` — no event dated after today.
     */
    explain(view, event, clock) {
      const type = event?.type;
      if (typeof event !== "object" || event === null || typeof type !== "string" || !Object.hasOwn(labels.events, type)) {
        return reject("unknownEvent", `\u672A\u77E5\u4E8B\u4EF6\u300C${String(type)}\u300D`, `unknown event "${String(type)}"`);
      }
      const early = notInFuture(event.at, clock) ?? firstRejection(common2, view.context, event);
      if (early !== null) return early;
      const handler = handlers.get(type);
      if (handler === void 0)
        return reject("unhandledEvent", `\u4E0D\u5904\u7406\u4E8B\u4EF6\u300C${type}\u300D`, `${machine.id} does not handle ${type}`);
      const ruleName = ruleNow(view, handler);
      return ruleName === void 0 ? wrongState(type, view, handler) : rules[ruleName].check(view.context, event);
    },
    /** The events the entity's states take now, each with the precondition that blocks it (if any). */
    options(view) {
      const options = [];
      for (const type of Object.keys(labels.events)) {
        const handler = handlers.get(type);
        const ruleName = handler === void 0 ? void 0 : ruleNow(view, handler);
        if (ruleName === void 0) continue;
        let blockedBy = null;
        for (const pre of rules[ruleName].preconditions) {
          blockedBy = pre(view.context);
          if (blockedBy !== null) break;
        }
        options.push({ type, blockedBy });
      }
      return options;
    }
  };
}

// machines/ids.ts
var SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
var RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));
function isSafeId(value) {
  return typeof value === "string" && SAFE.test(value) && !RESERVED.has(value);
}
var SAFE_ID_RULE = {
  zh: "\u7F16\u53F7\u987B\u4E3A 1\u201364 \u4E2A\u82F1\u6587\u5B57\u6BCD\u3001\u6570\u5B57\u3001_ \u6216 -,\u4EE5\u5B57\u6BCD\u6216\u6570\u5B57\u5F00\u5934",
  en: "an id is 1\u201364 ASCII letters, digits, _ or -, starting with a letter or digit"
};

// machines/labels.ts
var REGION_LABELS = {
  lifecycle: { zh: "\u9879\u76EE\u9636\u6BB5", en: "stage" },
  permits: { zh: "\u529E\u8BC1", en: "permits" },
  land: { zh: "\u5F81\u62C6", en: "land clearance" },
  bond: { zh: "\u4E13\u9879\u503A", en: "special bond" },
  statistics: { zh: "\u5165\u5E93\u7EB3\u7EDF", en: "statistics registration" },
  support: { zh: "\u5E2E\u6276", en: "support" }
};
var STATE_LABELS = {
  lifecycle: {
    negotiating: { zh: "\u6D3D\u8C08", en: "negotiating" },
    signed: { zh: "\u5DF2\u7B7E\u7EA6", en: "signed" },
    underConstruction: { zh: "\u5728\u5EFA", en: "under construction" },
    completed: { zh: "\u5DF2\u7AE3\u5DE5", en: "completed" },
    inProduction: { zh: "\u5DF2\u6295\u4EA7", en: "in production" },
    atTarget: { zh: "\u5DF2\u8FBE\u4EA7", en: "at target" },
    dropped: { zh: "\u5DF2\u7EC8\u6B62", en: "dropped" }
  },
  permits: {
    pending: { zh: "\u529E\u7406\u4E2D", en: "pending" },
    complete: { zh: "\u56DB\u8BC1\u9F50\u5168", en: "all four granted" }
  },
  land: {
    notRequired: { zh: "\u65E0\u5F81\u62C6", en: "not required" },
    clearing: { zh: "\u5F81\u62C6\u4E2D", en: "clearing" },
    cleared: { zh: "\u5DF2\u6E05\u96F6", en: "cleared" }
  },
  bond: {
    none: { zh: "\u65E0\u4E13\u9879\u503A", en: "no bond" },
    allocated: { zh: "\u5DF2\u4E0B\u8FBE\u672A\u62E8\u5B8C", en: "allocated, not fully disbursed" },
    disbursed: { zh: "\u5DF2\u62E8\u4ED8\u5B8C\u6BD5", en: "fully disbursed" }
  },
  statistics: {
    unregistered: { zh: "\u672A\u5165\u5E93", en: "not registered" },
    registered: { zh: "\u5DF2\u5165\u5E93", en: "registered" }
  },
  support: {
    normal: { zh: "\u6B63\u5E38", en: "normal" },
    helpPool: { zh: "\u5E2E\u6276\u57F9\u80B2\u5E93", en: "help pool" }
  }
};
var EVENT_LABELS = {
  SIGN: { zh: "\u7B7E\u7EA6", en: "sign" },
  GRANT_PERMIT: { zh: "\u529E\u8BC1", en: "grant a permit" },
  GREEN_CHANNEL: { zh: "\u5F00\u901A\u7EFF\u8272\u901A\u9053", en: "open the green channel" },
  REPORT_CLEARANCE: { zh: "\u62A5\u9001\u5F81\u62C6\u8FDB\u5EA6", en: "report land clearance" },
  START_CONSTRUCTION: { zh: "\u5F00\u5DE5", en: "start construction" },
  REGISTER_STATS: { zh: "\u5165\u5E93\u7EB3\u7EDF", en: "register in statistics" },
  COMPLETE: { zh: "\u7AE3\u5DE5", en: "complete" },
  START_PRODUCTION: { zh: "\u6295\u4EA7", en: "start production" },
  REPORT_OUTPUT: { zh: "\u62A5\u9001\u4EA7\u503C", en: "report output" },
  ALLOCATE_BOND: { zh: "\u4E0B\u8FBE\u4E13\u9879\u503A", en: "allocate bond funds" },
  DISBURSE_BOND: { zh: "\u62E8\u4ED8\u4E13\u9879\u503A", en: "disburse bond funds" },
  ENTER_HELP_POOL: { zh: "\u7EB3\u5165\u5E2E\u6276\u57F9\u80B2\u5E93", en: "enter the help pool" },
  DROP: { zh: "\u7EC8\u6B62\u9879\u76EE", en: "drop the project" },
  SET_OUTPUT_TARGET: { zh: "\u8BBE\u5B9A\u8FBE\u4EA7\u76EE\u6807", en: "set the output target" },
  REPORT_INVESTMENT: { zh: "\u62A5\u9001\u5B8C\u6210\u6295\u8D44", en: "report investment" },
  REPORT_PROGRESS: { zh: "\u62A5\u9001\u5F62\u8C61\u8FDB\u5EA6", en: "report progress on site" },
  REVISE_PLAN: { zh: "\u8C03\u6574\u8BA1\u5212\u603B\u6295\u8D44", en: "revise the planned total" }
};
var FIELD_LABELS = {
  at: { zh: "\u65E5\u671F", en: "date" },
  contractAmount: { zh: "\u5408\u540C\u91D1\u989D", en: "contract amount", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  permit: { zh: "\u8BC1\u4EF6", en: "permit" },
  mu: { zh: "\u672C\u6B21\u5F81\u62C6\u9762\u79EF", en: "land cleared this time", unit: { zh: "\u4EA9", en: "mu" } },
  houses: { zh: "\u672C\u6B21\u62C6\u9664\u623F\u5C4B", en: "houses demolished this time", unit: { zh: "\u680B", en: "houses" } },
  month: { zh: "\u6708\u4EFD", en: "month" },
  output: { zh: "\u5F53\u6708\u4EA7\u503C", en: "output of the month", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  amount: { zh: "\u91D1\u989D", en: "amount", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  expert: { zh: "\u5E2E\u6276\u4E13\u5BB6", en: "expert" },
  reason: { zh: "\u539F\u56E0", en: "reason" },
  note: { zh: "\u529E\u7406\u60C5\u51B5", en: "what was done" },
  unitId: { zh: "\u8D23\u4EFB\u5355\u4F4D", en: "unit" },
  unit: { zh: "\u8D23\u4EFB\u5355\u4F4D", en: "unit" },
  due: { zh: "\u529E\u7ED3\u65F6\u9650", en: "due" },
  title: { zh: "\u95EE\u9898", en: "problem" },
  source: { zh: "\u6765\u6E90", en: "source" },
  raisedOn: { zh: "\u63D0\u51FA\u65E5\u671F", en: "raised on" },
  projectId: { zh: "\u9879\u76EE", en: "project" },
  name: { zh: "\u540D\u79F0", en: "name" },
  plannedInvestment: { zh: "\u8BA1\u5212\u6295\u8D44", en: "planned investment", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  outputTarget: {
    zh: "\u8FBE\u4EA7\u76EE\u6807(\u8BBE\u8BA1\u6708\u4EA7\u503C)",
    en: "output target (designed monthly output)",
    unit: { zh: "\u4E07\u5143", en: "10k yuan" }
  },
  targetMonths: { zh: "\u8FBE\u4EA7\u6240\u9700\u8FDE\u7EED\u6708\u6570", en: "consecutive months at target" },
  purpose: { zh: "\u9879\u76EE\u6027\u8D28", en: "purpose" },
  percent: { zh: "\u5F62\u8C61\u8FDB\u5EA6", en: "progress", unit: { zh: "%", en: "%" } },
  measure: { zh: "\u4E3E\u63AA", en: "measure" },
  count: { zh: "\u6B21\u6570(\u4EF6\u6570)", en: "count" },
  annualPlan: { zh: "\u5E74\u5EA6\u8BA1\u5212\u6295\u8D44", en: "annual plan", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  programmeId: { zh: "\u6240\u5C5E\u9879\u76EE\u7FA4", en: "programme" }
};
var PERMIT_LABELS = {
  landUsePlanning: { zh: "\u7528\u5730\u89C4\u5212\u8BB8\u53EF\u8BC1", en: "land-use planning permit" },
  landTitle: { zh: "\u4E0D\u52A8\u4EA7\u6743\u8BC1", en: "land title certificate" },
  engineeringPlanning: { zh: "\u5DE5\u7A0B\u89C4\u5212\u8BB8\u53EF\u8BC1", en: "engineering planning permit" },
  construction: { zh: "\u65BD\u5DE5\u8BB8\u53EF\u8BC1", en: "construction permit" }
};

// machines/project-types.ts
var PERMIT_KEYS = ["landUsePlanning", "landTitle", "engineeringPlanning", "construction"];
var STAGES = ["negotiating", "signed", "underConstruction", "completed", "inProduction", "atTarget"];
var STARTED_STAGES = ["underConstruction", "completed", "inProduction", "atTarget"];
function isLandCleared(land) {
  return (land.clearedMu ?? 0) >= land.requiredMu && (land.demolished ?? 0) >= land.houses;
}
var PROJECT_EVENT_TYPES = [
  "SIGN",
  "GRANT_PERMIT",
  "GREEN_CHANNEL",
  "REPORT_CLEARANCE",
  "START_CONSTRUCTION",
  "REGISTER_STATS",
  "COMPLETE",
  "START_PRODUCTION",
  "REPORT_OUTPUT",
  "SET_OUTPUT_TARGET",
  "ALLOCATE_BOND",
  "DISBURSE_BOND",
  "ENTER_HELP_POOL",
  "DROP",
  "REPORT_INVESTMENT",
  "REPORT_PROGRESS",
  "REVISE_PLAN"
];

// machines/quantity.ts
var SCALE = 1e4;
var QUANTITY_BOUNDS = {
  /** 10 万亿元 — more than any county's, or province's, annual investment. */
  money: { max: 1e9, unit: { zh: "\u4E07\u5143", en: "(10k yuan)" } },
  /** 10 million mu ≈ 6,700 km², a large county's whole area. */
  land: { max: 1e7, unit: { zh: "\u4EA9", en: "mu" } },
  houses: { max: 1e6, unit: { zh: "\u680B", en: "houses" } },
  /** Projects, signings: a count target or tally. */
  count: { max: 1e6, unit: { zh: "\u4E2A", en: "" } }
};
function roundQuantity(value) {
  return Math.round(value * SCALE) / SCALE + 0;
}
function addQuantity(a, b) {
  return roundQuantity(a + b);
}
function isFiniteNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}
function formatQuantity(value) {
  return Number.isFinite(value) && Math.abs(value) < 1e13 ? String(Math.round(value * 100) / 100 + 0) : String(value);
}
function quantityBoundProblem(kind, field2, label, value) {
  const { max, unit } = QUANTITY_BOUNDS[kind];
  if (!(value > max)) return null;
  return {
    zh: `${label}\u8D85\u51FA\u4E0A\u9650:${formatQuantity(value)} ${unit.zh},\u6700\u591A ${max} ${unit.zh}`,
    en: `${field2} is at most ${max} ${unit.en} (got ${formatQuantity(value)})`
  };
}

// machines/project-checks.ts
var STATS_THRESHOLD_WAN = 500;
function field(event, name2) {
  return event[name2];
}
function withinBound(kind, name2, label, value) {
  if (!isFiniteNumber(value)) return null;
  const problem = quantityBoundProblem(kind, name2, label, value);
  return problem === null ? null : reject("quantityBound", problem.zh, problem.en);
}
var notDropped = (c) => c.stage === "dropped" ? reject(
  "projectDropped",
  `\u9879\u76EE\u5DF2\u7EC8\u6B62${c.milestones.dropped ? `(${c.milestones.dropped})` : ""}:${c.dropReason ?? ""}`,
  `the project was dropped${c.milestones.dropped ? ` on ${c.milestones.dropped}` : ""}: ${c.dropReason ?? ""}`
) : null;
var contractAmountPositive = (_c, e) => {
  const amount = field(e, "contractAmount");
  return isFiniteNumber(amount) && roundQuantity(amount) > 0 ? withinBound("money", "contractAmount", "\u7B7E\u7EA6\u91D1\u989D", amount) : reject(
    "contractAmount",
    `\u7B7E\u7EA6\u91D1\u989D\u987B\u5927\u4E8E 0 \u4E07\u5143(\u6536\u5230:${String(amount)})`,
    `the contract amount must be above 0 (got ${String(amount)})`
  );
};
var permitKnown = (_c, e) => {
  const permit = field(e, "permit");
  return typeof permit === "string" && PERMIT_KEYS.includes(permit) ? null : reject(
    "unknownPermit",
    `\u672A\u77E5\u8BC1\u4EF6\u300C${String(permit)}\u300D,\u5E94\u4E3A:${PERMIT_KEYS.map((k) => `${k}(${PERMIT_LABELS[k].zh})`).join("\u3001")}`,
    `unknown permit "${String(permit)}", expected one of ${PERMIT_KEYS.join(", ")}`
  );
};
var permitNotGranted = (c, e) => {
  const permit = field(e, "permit");
  return c.permits.includes(permit) ? reject(
    "permitAlreadyGranted",
    `${PERMIT_LABELS[permit].zh}\u5DF2\u529E\u7406,\u4E0D\u80FD\u91CD\u590D\u529E\u8BC1`,
    `the ${PERMIT_LABELS[permit].en} was already granted`
  ) : null;
};
var permitInOrder = (c, e) => {
  if (c.greenChannel !== null) return null;
  const permit = field(e, "permit");
  const missing = PERMIT_KEYS.slice(0, PERMIT_KEYS.indexOf(permit)).filter((k) => !c.permits.includes(k));
  return missing.length === 0 ? null : reject(
    "permitOrder",
    `\u672A\u5F00\u901A\u7EFF\u8272\u901A\u9053,\u529E\u7406${PERMIT_LABELS[permit].zh}\u987B\u5148\u53D6\u5F97:${missing.map((k) => PERMIT_LABELS[k].zh).join("\u3001")}`,
    `without the green channel, the ${PERMIT_LABELS[permit].en} needs first: ${missing.map((k) => PERMIT_LABELS[k].en).join(", ")}`
  );
};
var greenChannelClosed = (c) => c.greenChannel === null ? null : reject(
  "greenChannelOpen",
  `\u5DF2\u4E8E ${c.greenChannel} \u5F00\u901A\u7EFF\u8272\u901A\u9053`,
  `the green channel has been open since ${c.greenChannel}`
);
var permitsComplete = (c) => {
  const missing = PERMIT_KEYS.filter((k) => !c.permits.includes(k));
  return missing.length === 0 ? null : reject(
    "permitsIncomplete",
    `\u56DB\u8BC1\u672A\u9F50:\u5DF2\u529E ${4 - missing.length}/4,\u7F3A${missing.map((k) => PERMIT_LABELS[k].zh).join("\u3001")}`,
    `permits incomplete: ${4 - missing.length}/4 granted, missing ${missing.map((k) => PERMIT_LABELS[k].en).join(", ")}`
  );
};
var clearanceAmountsValid = (_c, e) => {
  const mu2 = field(e, "mu");
  const houses2 = field(e, "houses");
  const tooMuch = withinBound("land", "mu", "\u672C\u6B21\u5F81\u62C6\u9762\u79EF", mu2) ?? withinBound("houses", "houses", "\u672C\u6B21\u62C6\u8FC1\u680B\u6570", houses2);
  if (tooMuch !== null) return tooMuch;
  if (!isFiniteNumber(mu2) || mu2 < 0 || !Number.isInteger(houses2) || houses2 < 0 || roundQuantity(mu2) === 0 && houses2 === 0) {
    return reject(
      "clearanceAmounts",
      `\u5F81\u62C6\u8FDB\u5EA6\u987B\u4E3A\u6B63\u6570:\u4EA9\u6570 \u2265 0\u3001\u680B\u6570\u4E3A\u975E\u8D1F\u6574\u6570\u4E14\u4E0D\u5168\u4E3A 0(\u6536\u5230:${String(mu2)} \u4EA9,${String(houses2)} \u680B)`,
      `clearance must be positive: mu \u2265 0, houses a whole number \u2265 0, not both 0 (got ${String(mu2)} mu, ${String(houses2)} houses)`
    );
  }
  return null;
};
var clearanceWithinRequired = (c, e) => {
  const land = c.land;
  if (land === null) return null;
  const mu2 = field(e, "mu");
  const houses2 = field(e, "houses");
  const muAfter = addQuantity(land.clearedMu, mu2);
  const housesAfter = land.demolished + houses2;
  if (muAfter > land.requiredMu) {
    return reject(
      "clearanceExceedsRequired",
      `\u5F81\u62C6\u8D85\u51FA\u4EFB\u52A1:\u5DF2\u6E05 ${formatQuantity(land.clearedMu)}/${formatQuantity(land.requiredMu)} \u4EA9,\u672C\u6B21 ${formatQuantity(mu2)} \u4EA9,\u8D85\u51FA ${formatQuantity(muAfter - land.requiredMu)} \u4EA9`,
      `clearance exceeds the task: ${formatQuantity(land.clearedMu)}/${formatQuantity(land.requiredMu)} mu cleared, ${formatQuantity(mu2)} reported, ${formatQuantity(muAfter - land.requiredMu)} too many`
    );
  }
  if (housesAfter > land.houses) {
    return reject(
      "demolitionExceedsRequired",
      `\u62C6\u8FC1\u8D85\u51FA\u4EFB\u52A1:\u5DF2\u62C6 ${land.demolished}/${land.houses} \u680B,\u672C\u6B21 ${houses2} \u680B,\u8D85\u51FA ${housesAfter - land.houses} \u680B`,
      `demolition exceeds the task: ${land.demolished}/${land.houses} houses demolished, ${houses2} reported, ${housesAfter - land.houses} too many`
    );
  }
  return null;
};
var landReady = (c) => {
  const land = c.land;
  if (land === null || isLandCleared(land)) return null;
  return reject(
    "landUncleared",
    `\u5F81\u62C6\u672A\u6E05\u96F6:\u5DF2\u6E05 ${formatQuantity(land.clearedMu)}/${formatQuantity(land.requiredMu)} \u4EA9,\u5DF2\u62C6 ${land.demolished}/${land.houses} \u680B`,
    `land not cleared: ${formatQuantity(land.clearedMu)}/${formatQuantity(land.requiredMu)} mu cleared, ${land.demolished}/${land.houses} houses demolished`
  );
};
var startedOrLater = (c) => STARTED_STAGES.includes(c.stage) ? null : reject(
  "notStarted",
  `\u9879\u76EE\u672A\u5F00\u5DE5(\u5F53\u524D:${STATE_LABELS.lifecycle[c.stage].zh}),\u5F00\u5DE5\u540E\u65B9\u53EF\u5165\u5E93\u7EB3\u7EDF`,
  `the project has not started construction (now: ${STATE_LABELS.lifecycle[c.stage].en}); it can be registered once started`
);
var investmentMeetsStatsThreshold = (c) => c.plannedInvestment >= STATS_THRESHOLD_WAN ? null : reject(
  "belowStatsThreshold",
  `\u8BA1\u5212\u603B\u6295\u8D44 ${formatQuantity(c.plannedInvestment)} \u4E07\u5143,\u4F4E\u4E8E\u5165\u5E93\u6807\u51C6 ${STATS_THRESHOLD_WAN} \u4E07\u5143`,
  `planned investment ${formatQuantity(c.plannedInvestment)} (10k yuan) is below the registration threshold of ${STATS_THRESHOLD_WAN}`
);
function bestOutput(c) {
  return c.outputs.length === 0 ? null : Math.max(...c.outputs.map((o) => o.output));
}
function outputAtTarget(c) {
  const target = c.outputTarget;
  if (target === null) return false;
  const months = [...new Set(c.outputs.filter((o) => o.output >= target).map((o) => o.month))].sort();
  const need = c.targetMonths ?? 1;
  let run = 0;
  for (const [i, month] of months.entries()) {
    run = i > 0 && nextMonth(months[i - 1]) === month ? run + 1 : 1;
    if (run >= need) return true;
  }
  return false;
}
var nextMonth = (month) => {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};
var productive = (c) => c.purpose === "public" ? reject(
  "publicWorks",
  "\u516C\u76CA\u6027\u9879\u76EE\u7AE3\u5DE5\u4EA4\u4ED8\u4F7F\u7528\u5373\u5B8C\u6210,\u6CA1\u6709\u6295\u4EA7\u3001\u8FBE\u4EA7\u73AF\u8282",
  "public works end at completion (handed over for use): no production, no output target"
) : null;
var outputTargetValid = (_c, e) => {
  const target = field(e, "outputTarget");
  if (!isFiniteNumber(target) || roundQuantity(target) <= 0)
    return reject(
      "outputTargetInvalid",
      `\u8FBE\u4EA7\u76EE\u6807\u987B\u5927\u4E8E 0(\u6536\u5230:${String(target)})`,
      `the output target must be above 0`
    );
  return withinBound("money", "outputTarget", "\u8FBE\u4EA7\u76EE\u6807", target);
};
var outputTargetSet = (c) => c.outputTarget !== null ? null : reject(
  "outputTargetMissing",
  "\u9879\u76EE\u672A\u8BBE\u5B9A\u8FBE\u4EA7\u76EE\u6807(\u6708\u4EA7\u503C),\u65E0\u6CD5\u62A5\u9001\u4EA7\u503C",
  "the project has no output target (monthly output value)"
);
var outputReportValid = (c, e) => {
  const month = field(e, "month");
  const output = field(e, "output");
  if (!isIsoMonth(month)) {
    return reject(
      "outputMonth",
      `\u4EA7\u503C\u6708\u4EFD\u65E0\u6548:\u300C${String(month)}\u300D,\u5E94\u4E3A YYYY-MM`,
      `invalid output month "${String(month)}", expected YYYY-MM`
    );
  }
  if (!isFiniteNumber(output) || output < 0) {
    return reject(
      "outputValue",
      `\u6708\u4EA7\u503C\u987B\u4E3A\u975E\u8D1F\u6570(\u6536\u5230:${String(output)})`,
      `monthly output must be a number \u2265 0 (got ${String(output)})`
    );
  }
  const tooMuch = withinBound("money", "output", "\u6708\u4EA7\u503C", output);
  if (tooMuch !== null) return tooMuch;
  const at = field(e, "at");
  if (month > monthOf(at)) {
    return reject(
      "outputMonthFuture",
      `\u4E0D\u80FD\u62A5\u9001\u672A\u6765\u6708\u4EFD ${month} \u7684\u4EA7\u503C(\u62A5\u9001\u65E5\u671F ${at})`,
      `cannot report output for ${month} on ${at}`
    );
  }
  if (c.outputs.some((o) => o.month === month)) {
    return reject("outputMonthReported", `${month} \u7684\u4EA7\u503C\u5DF2\u62A5\u9001`, `output for ${month} was already reported`);
  }
  return null;
};
var inProduction = (c) => c.stage === "inProduction" ? null : reject(
  "notInProduction",
  `\u53EA\u6709\u5DF2\u6295\u4EA7\u672A\u8FBE\u4EA7\u7684\u9879\u76EE\u53EF\u7EB3\u5165\u5E2E\u6276\u57F9\u80B2\u5E93(\u5F53\u524D:${STATE_LABELS.lifecycle[c.stage].zh})`,
  `only projects in production and below target can enter the help pool (now: ${STATE_LABELS.lifecycle[c.stage].en})`
);
var belowTarget = (c) => {
  const best = bestOutput(c);
  return outputAtTarget(c) && best !== null && c.outputTarget !== null ? reject(
    "atTarget",
    `\u5DF2\u8FBE\u4EA7:\u6708\u4EA7\u503C ${formatQuantity(best)}/${formatQuantity(c.outputTarget)} \u4E07\u5143`,
    `already at target: ${formatQuantity(best)}/${formatQuantity(c.outputTarget)} monthly output`
  ) : null;
};
var expertNamed = (_c, e) => {
  const expert = field(e, "expert");
  return typeof expert === "string" && expert.trim().length > 0 ? null : reject("expertMissing", "\u7EB3\u5165\u5E2E\u6276\u57F9\u80B2\u5E93\u987B\u6307\u5B9A\u5E2E\u6276\u4E13\u5BB6", "entering the help pool needs a named expert");
};
var amountPositive = (_c, e) => {
  const amount = field(e, "amount");
  return isFiniteNumber(amount) && roundQuantity(amount) > 0 ? withinBound("money", "amount", "\u91D1\u989D", amount) : reject(
    "bondAmount",
    `\u91D1\u989D\u987B\u5927\u4E8E 0 \u4E07\u5143(\u6536\u5230:${String(amount)})`,
    `the amount must be above 0 (got ${String(amount)})`
  );
};
var allocationWithinBound = (c, e) => withinBound(
  "money",
  "bond.allocated",
  "\u4E13\u9879\u503A\u7D2F\u8BA1\u4E0B\u8FBE\u989D\u5EA6",
  addQuantity(c.bond.allocated, field(e, "amount"))
);
var disbursementWithinAllocation = (c, e) => {
  const amount = field(e, "amount");
  const open7 = addQuantity(c.bond.allocated, -c.bond.disbursed);
  return amount <= open7 ? null : reject(
    "disbursementExceedsAllocation",
    `\u62E8\u4ED8\u8D85\u51FA\u989D\u5EA6:\u5DF2\u4E0B\u8FBE ${formatQuantity(c.bond.allocated)} \u4E07\u5143,\u5DF2\u62E8\u4ED8 ${formatQuantity(c.bond.disbursed)} \u4E07\u5143,\u53EF\u62E8 ${formatQuantity(open7)} \u4E07\u5143,\u672C\u6B21 ${formatQuantity(amount)} \u4E07\u5143`,
    `disbursement exceeds the allocation: ${formatQuantity(c.bond.allocated)} allocated, ${formatQuantity(c.bond.disbursed)} disbursed, ${formatQuantity(open7)} open, ${formatQuantity(amount)} requested`
  );
};
var reasonGiven = (_c, e) => {
  const reason = field(e, "reason");
  return typeof reason === "string" && reason.trim().length > 0 ? null : reject("reasonMissing", "\u7EC8\u6B62\u9879\u76EE\u987B\u8BF4\u660E\u539F\u56E0", "dropping a project needs a reason");
};
var investmentStarted = (c) => STARTED_STAGES.includes(c.stage) ? null : reject(
  "notStarted",
  `\u9879\u76EE\u5C1A\u672A\u5F00\u5DE5(\u5F53\u524D:${STATE_LABELS.lifecycle[c.stage].zh}),\u5F00\u5DE5\u540E\u624D\u62A5\u9001\u5B8C\u6210\u6295\u8D44\u548C\u5F62\u8C61\u8FDB\u5EA6`,
  `the project has not started (now: ${STATE_LABELS.lifecycle[c.stage].en}); investment and progress are reported from the start of construction`
);
function reportedMonth(c, e, what) {
  const month = field(e, "month");
  const at = field(e, "at");
  if (!isIsoMonth(month))
    return reject(
      "reportMonth",
      `${what.zh}\u6708\u4EFD\u65E0\u6548:\u300C${String(month)}\u300D,\u5E94\u4E3A YYYY-MM`,
      `invalid month "${String(month)}"`
    );
  if (month > monthOf(at))
    return reject(
      "reportMonthFuture",
      `\u4E0D\u80FD\u5728 ${at} \u62A5\u9001\u672A\u6765\u6708\u4EFD ${month} \u7684${what.zh}`,
      `cannot report ${what.en} for ${month} on ${at}`
    );
  const started = c.milestones.started;
  if (started !== null && month < monthOf(started))
    return reject(
      "reportMonthBeforeStart",
      `${month} \u65E9\u4E8E\u5F00\u5DE5\u6708\u4EFD ${monthOf(started)}`,
      `${month} is before the month construction started, ${monthOf(started)}`
    );
  return null;
}
var investmentReportValid = (c, e) => {
  const month = reportedMonth(c, e, { zh: "\u5B8C\u6210\u6295\u8D44", en: "investment" });
  if (month !== null) return month;
  const amount = field(e, "amount");
  if (!isFiniteNumber(amount) || roundQuantity(amount) <= 0)
    return reject(
      "investmentAmount",
      `\u5B8C\u6210\u6295\u8D44\u987B\u5927\u4E8E 0 \u4E07\u5143(\u6536\u5230:${String(amount)})`,
      `the investment must be above 0 (got ${String(amount)})`
    );
  const tooMuch = withinBound("money", "amount", "\u5B8C\u6210\u6295\u8D44", amount);
  if (tooMuch !== null) return tooMuch;
  const reported = c.investments ?? [];
  if (reported.some((r5) => r5.month === field(e, "month")))
    return reject(
      "investmentMonthReported",
      `${String(field(e, "month"))} \u7684\u5B8C\u6210\u6295\u8D44\u5DF2\u62A5\u9001;\u62A5\u9519\u4E86\u8BF7\u66F4\u6B63\u8BE5\u6761\u8BB0\u5F55`,
      `the investment for ${String(field(e, "month"))} was already reported; correct that entry instead`
    );
  const done = reported.reduce((sum, r5) => addQuantity(sum, r5.amount), 0);
  const total = addQuantity(done, amount);
  return total <= c.plannedInvestment ? null : reject(
    "investmentExceedsPlan",
    `\u7D2F\u8BA1\u5B8C\u6210\u6295\u8D44\u5C06\u8FBE ${formatQuantity(total)} \u4E07\u5143,\u8D85\u8FC7\u8BA1\u5212\u603B\u6295\u8D44 ${formatQuantity(c.plannedInvestment)} \u4E07\u5143(\u5DF2\u5B8C\u6210 ${formatQuantity(done)},\u672C\u6B21 ${formatQuantity(amount)});\u786E\u9700\u8D85\u51FA\u8BF7\u5148\u8C03\u6574\u8BA1\u5212\u603B\u6295\u8D44`,
    `cumulative investment would be ${formatQuantity(total)}, above the planned total ${formatQuantity(c.plannedInvestment)} (${formatQuantity(done)} done, ${formatQuantity(amount)} now); revise the plan first if it really is more`
  );
};
var progressReportValid = (c, e) => {
  const month = reportedMonth(c, e, { zh: "\u5F62\u8C61\u8FDB\u5EA6", en: "progress" });
  if (month !== null) return month;
  const percent = field(e, "percent");
  if (!isFiniteNumber(percent) || percent < 0 || percent > 100)
    return reject("progressPercent", `\u5F62\u8C61\u8FDB\u5EA6\u987B\u5728 0\u2013100% \u4E4B\u95F4(\u6536\u5230:${String(percent)})`, `progress must be 0\u2013100 %`);
  const reported = c.progress ?? [];
  if (reported.some((r5) => r5.month === field(e, "month")))
    return reject(
      "progressMonthReported",
      `${String(field(e, "month"))} \u7684\u5F62\u8C61\u8FDB\u5EA6\u5DF2\u62A5\u9001`,
      `the progress for ${String(field(e, "month"))} was already reported`
    );
  const last = reported.at(-1);
  return last !== void 0 && percent < last.percent ? reject(
    "progressBackwards",
    `\u5F62\u8C61\u8FDB\u5EA6 ${percent}% \u4F4E\u4E8E ${last.month} \u62A5\u9001\u7684 ${last.percent}%`,
    `progress ${percent} % is below the ${last.percent} % reported for ${last.month}`
  ) : null;
};
var planRevisionValid = (c, e) => {
  const planned = field(e, "plannedInvestment");
  if (!isFiniteNumber(planned) || roundQuantity(planned) <= 0)
    return reject(
      "plannedInvestment",
      `\u8BA1\u5212\u603B\u6295\u8D44\u987B\u5927\u4E8E 0 \u4E07\u5143(\u6536\u5230:${String(planned)})`,
      `the planned total must be above 0 (got ${String(planned)})`
    );
  const tooMuch = withinBound("money", "plannedInvestment", "\u8BA1\u5212\u603B\u6295\u8D44", planned);
  if (tooMuch !== null) return tooMuch;
  const done = (c.investments ?? []).reduce((sum, r5) => addQuantity(sum, r5.amount), 0);
  if (planned < done)
    return reject(
      "planBelowInvested",
      `\u8C03\u6574\u540E\u7684\u8BA1\u5212\u603B\u6295\u8D44 ${formatQuantity(planned)} \u4E07\u5143\u4F4E\u4E8E\u5DF2\u5B8C\u6210\u6295\u8D44 ${formatQuantity(done)} \u4E07\u5143`,
      `the revised plan ${formatQuantity(planned)} is below the ${formatQuantity(done)} already invested`
    );
  const reason = field(e, "reason");
  return typeof reason === "string" && reason.trim() !== "" ? null : reject("reasonMissing", "\u8C03\u6574\u8BA1\u5212\u603B\u6295\u8D44\u987B\u8BF4\u660E\u539F\u56E0", "revising the plan needs a reason");
};
function investedSoFar(c) {
  return (c.investments ?? []).reduce((sum, r5) => addQuantity(sum, r5.amount), 0);
}

// machines/project.ts
import { assertEvent, assign, setup } from "xstate";

// machines/project-input.ts
var ProjectInputError = class extends Error {
  problems;
  constructor(problems) {
    super(`invalid project input: ${problems.map((p) => `${p.field}: ${p.en}`).join("; ")}`);
    this.name = "ProjectInputError";
    this.problems = problems;
  }
};
function validateProjectInput(input) {
  const problems = [];
  const add = (field2, zh, en) => problems.push({ field: field2, zh, en });
  if (typeof input !== "object" || input === null) {
    add("", "\u9879\u76EE\u4FE1\u606F\u987B\u4E3A\u5BF9\u8C61", "project input must be an object");
    return problems;
  }
  const i = input;
  for (const key of ["id", "name", "unitId"]) {
    if (typeof i[key] !== "string" || i[key].trim() === "")
      add(key, `${key} \u4E0D\u80FD\u4E3A\u7A7A`, `${key} must be a non-empty string`);
  }
  const bounded2 = (kind, field2, value, label) => {
    const problem = isFiniteNumber(value) ? quantityBoundProblem(kind, field2, label, value) : null;
    if (problem !== null) add(field2, problem.zh, problem.en);
  };
  const nonNegative = (kind, field2, value, label) => {
    if (!isFiniteNumber(value) || value < 0)
      add(field2, `${label}\u987B\u4E3A\u975E\u8D1F\u6570(\u6536\u5230:${String(value)})`, `${field2} must be a number \u2265 0 (got ${String(value)})`);
    else bounded2(kind, field2, value, label);
  };
  nonNegative("money", "plannedInvestment", i.plannedInvestment, "\u8BA1\u5212\u603B\u6295\u8D44");
  if (i.annualPlan !== void 0) {
    const plan = i.annualPlan;
    if (typeof plan !== "object" || plan === null || Array.isArray(plan))
      add("annualPlan", "\u5E74\u5EA6\u8BA1\u5212\u987B\u4E3A \u5E74\u4EFD \u2192 \u4E07\u5143", "annualPlan must map a year (YYYY) to \u4E07\u5143");
    else {
      let sum = 0;
      for (const [year, amount] of Object.entries(plan)) {
        if (!/^\d{4}$/.test(year)) add(`annualPlan.${year}`, `\u5E74\u4EFD\u300C${year}\u300D\u5E94\u4E3A YYYY`, `year "${year}" must be YYYY`);
        nonNegative("money", `annualPlan.${year}`, amount, `${year} \u5E74\u8BA1\u5212\u6295\u8D44`);
        if (isFiniteNumber(amount)) sum += amount;
      }
      if (isFiniteNumber(i.plannedInvestment) && sum > i.plannedInvestment + 1e-6)
        add(
          "annualPlan",
          `\u5404\u5E74\u5EA6\u8BA1\u5212\u5408\u8BA1 ${sum} \u4E07\u5143,\u8D85\u8FC7\u8BA1\u5212\u603B\u6295\u8D44 ${i.plannedInvestment} \u4E07\u5143`,
          `the annual plans add up to ${sum}, more than the planned total ${i.plannedInvestment}`
        );
    }
  }
  if (i.capacity !== void 0) {
    const c = i.capacity;
    if (c === null || typeof c !== "object" || !isFiniteNumber(c.value) || c.value < 0)
      add("capacity.value", "\u89C4\u6A21\u987B\u4E3A\u975E\u8D1F\u6570", "capacity.value must be a number \u2265 0");
    if (c === null || typeof c !== "object" || typeof c.unit !== "string" || c.unit.trim() === "")
      add("capacity.unit", "\u89C4\u6A21\u987B\u6CE8\u660E\u5355\u4F4D(\u5982 MW)", "capacity.unit must name the unit (e.g. MW)");
  }
  if (i.programmeId !== void 0 && (typeof i.programmeId !== "string" || i.programmeId.trim() === ""))
    add("programmeId", "\u6240\u5C5E\u9879\u76EE\u7FA4\u4E0D\u80FD\u4E3A\u7A7A", "programmeId must be a non-empty string");
  const stage = i.stage ?? "negotiating";
  if (!STAGES.includes(stage))
    add(
      "stage",
      `\u672A\u77E5\u9636\u6BB5\u300C${String(i.stage)}\u300D`,
      `unknown stage "${String(i.stage)}", expected one of ${STAGES.join(", ")}`
    );
  const built = STARTED_STAGES.includes(stage);
  const permits = i.permits ?? [];
  if (!Array.isArray(permits) || permits.some((p) => !PERMIT_KEYS.includes(p))) {
    add("permits", `\u8BC1\u4EF6\u987B\u4E3A ${PERMIT_KEYS.join("\u3001")} \u4E4B\u4E00`, `permits must be a list of ${PERMIT_KEYS.join(", ")}`);
  } else if (new Set(permits).size !== permits.length) {
    add("permits", "\u8BC1\u4EF6\u91CD\u590D", "a permit is listed twice");
  } else if (built && permits.length < PERMIT_KEYS.length) {
    add(
      "permits",
      `\u5DF2\u5F00\u5DE5\u7684\u9879\u76EE\u987B\u56DB\u8BC1\u9F50\u5168(\u5DF2\u5217 ${permits.length}/4)`,
      `a project past construction start must hold all four permits (${permits.length}/4 listed)`
    );
  }
  if (i.statsRegistered === true) {
    if (!built)
      add(
        "statsRegistered",
        "\u672A\u5F00\u5DE5\u7684\u9879\u76EE\u4E0D\u80FD\u5DF2\u5165\u5E93",
        "a project cannot be registered in statistics before construction starts"
      );
    if (isFiniteNumber(i.plannedInvestment) && i.plannedInvestment < STATS_THRESHOLD_WAN) {
      add(
        "statsRegistered",
        `\u8BA1\u5212\u603B\u6295\u8D44\u4F4E\u4E8E ${STATS_THRESHOLD_WAN} \u4E07\u5143\u7684\u9879\u76EE\u4E0D\u5165\u5E93`,
        `projects below ${STATS_THRESHOLD_WAN} (10k yuan) are not registered`
      );
    }
  } else if (i.statsRegistered !== void 0 && i.statsRegistered !== false) {
    add("statsRegistered", "statsRegistered \u987B\u4E3A true/false", "statsRegistered must be a boolean");
  }
  if (i.land !== void 0) {
    const land = i.land;
    if (typeof land !== "object" || land === null) {
      add("land", "land \u987B\u4E3A\u5BF9\u8C61", "land must be an object");
    } else {
      nonNegative("land", "land.requiredMu", land.requiredMu, "\u5F81\u62C6\u9762\u79EF");
      const whole = (field2, value, label) => {
        if (!Number.isInteger(value) || value < 0)
          add(field2, `${label}\u987B\u4E3A\u975E\u8D1F\u6574\u6570(\u6536\u5230:${String(value)})`, `${field2} must be a whole number \u2265 0`);
        else bounded2("houses", field2, value, label);
      };
      whole("land.houses", land.houses, "\u62C6\u8FC1\u680B\u6570");
      if (land.clearedMu !== void 0) nonNegative("land", "land.clearedMu", land.clearedMu, "\u5DF2\u6E05\u9762\u79EF");
      if (land.demolished !== void 0) whole("land.demolished", land.demolished, "\u5DF2\u62C6\u680B\u6570");
      const required = land.requiredMu;
      const houses2 = land.houses;
      if (isFiniteNumber(land.clearedMu) && isFiniteNumber(required) && land.clearedMu > required) {
        add(
          "land.clearedMu",
          `\u5DF2\u6E05 ${land.clearedMu} \u4EA9\u8D85\u8FC7\u5E94\u6E05 ${required} \u4EA9`,
          `cleared ${land.clearedMu} mu exceeds the required ${required}`
        );
      }
      if (Number.isInteger(land.demolished) && Number.isInteger(houses2) && land.demolished > houses2) {
        add(
          "land.demolished",
          `\u5DF2\u62C6 ${String(land.demolished)} \u680B\u8D85\u8FC7\u5E94\u62C6 ${houses2} \u680B`,
          `demolished ${String(land.demolished)} exceeds the ${houses2} houses`
        );
      }
      if (required === 0 && houses2 === 0)
        add("land", "\u65E0\u5F81\u62C6\u4EFB\u52A1\u65F6\u8BF7\u7701\u7565 land", "omit land when nothing is to be cleared");
    }
  }
  if (i.bond !== void 0) {
    const bond = i.bond;
    if (typeof bond !== "object" || bond === null) {
      add("bond", "bond \u987B\u4E3A\u5BF9\u8C61", "bond must be an object");
    } else {
      if (!isFiniteNumber(bond.allocated) || roundQuantity(bond.allocated) <= 0) {
        add("bond.allocated", `\u4E13\u9879\u503A\u989D\u5EA6\u987B\u5927\u4E8E 0(\u6536\u5230:${String(bond.allocated)})`, "bond.allocated must be above 0");
      } else bounded2("money", "bond.allocated", bond.allocated, "\u4E13\u9879\u503A\u989D\u5EA6");
      if (bond.disbursed !== void 0) nonNegative("money", "bond.disbursed", bond.disbursed, "\u5DF2\u62E8\u4ED8\u91D1\u989D");
      if (isFiniteNumber(bond.disbursed) && isFiniteNumber(bond.allocated) && bond.disbursed > bond.allocated) {
        add(
          "bond.disbursed",
          `\u5DF2\u62E8\u4ED8 ${bond.disbursed} \u4E07\u5143\u8D85\u8FC7\u989D\u5EA6 ${bond.allocated} \u4E07\u5143`,
          `disbursed ${bond.disbursed} exceeds the allocated ${bond.allocated}`
        );
      }
    }
  }
  if (i.outputTarget !== void 0) {
    if (!isFiniteNumber(i.outputTarget) || roundQuantity(i.outputTarget) <= 0)
      add("outputTarget", "\u8FBE\u4EA7\u76EE\u6807\u987B\u5927\u4E8E 0", "outputTarget must be above 0");
    else bounded2("money", "outputTarget", i.outputTarget, "\u8FBE\u4EA7\u76EE\u6807");
  }
  const months = i.targetMonths;
  if (months !== void 0 && (!Number.isInteger(months) || months < 1 || months > 12))
    add("targetMonths", "\u8FBE\u4EA7\u6240\u9700\u8FDE\u7EED\u6708\u6570\u987B\u4E3A 1\u201312 \u7684\u6574\u6570", "targetMonths must be a whole number from 1 to 12");
  if (i.purpose !== void 0 && i.purpose !== "productive" && i.purpose !== "public")
    add("purpose", "\u9879\u76EE\u6027\u8D28\u987B\u4E3A productive(\u751F\u4EA7\u7ECF\u8425\u6027)\u6216 public(\u516C\u76CA\u6027)", "purpose must be productive or public");
  if (i.purpose === "public" && (stage === "inProduction" || stage === "atTarget"))
    add(
      "stage",
      "\u516C\u76CA\u6027\u9879\u76EE\u7AE3\u5DE5\u4EA4\u4ED8\u4F7F\u7528\u5373\u5B8C\u6210,\u6CA1\u6709\u6295\u4EA7\u3001\u8FBE\u4EA7\u9636\u6BB5",
      "public works end at completion: no production stage"
    );
  if (i.purpose === "public" && i.outputTarget !== void 0)
    add("outputTarget", "\u516C\u76CA\u6027\u9879\u76EE\u6CA1\u6709\u8FBE\u4EA7\u76EE\u6807", "public works have no output target");
  if (i.contractAmount !== void 0) {
    if (!isFiniteNumber(i.contractAmount) || roundQuantity(i.contractAmount) <= 0)
      add("contractAmount", "\u7B7E\u7EA6\u91D1\u989D\u987B\u5927\u4E8E 0", "contractAmount must be above 0");
    else bounded2("money", "contractAmount", i.contractAmount, "\u7B7E\u7EA6\u91D1\u989D");
    if (stage === "negotiating")
      add("contractAmount", "\u6D3D\u8C08\u4E2D\u7684\u9879\u76EE\u6CA1\u6709\u7B7E\u7EA6\u91D1\u989D", "a project still negotiating has no contract amount");
  }
  for (const key of ["asOf", "since"]) {
    if (i[key] !== void 0 && !isIsoDate(i[key]))
      add(key, `${key} \u987B\u4E3A YYYY-MM-DD \u65E5\u671F`, `${key} must be a YYYY-MM-DD date`);
  }
  if (isIsoDate(i.asOf) && isIsoDate(i.since) && i.since > i.asOf)
    add("since", "since \u4E0D\u80FD\u665A\u4E8E asOf", "since cannot be after asOf");
  if (i.enterprise !== void 0 && typeof i.enterprise !== "string")
    add("enterprise", "enterprise \u987B\u4E3A\u6587\u5B57", "enterprise must be a string");
  if (i.flags !== void 0 && (typeof i.flags !== "object" || i.flags === null))
    add("flags", "flags \u987B\u4E3A\u5BF9\u8C61", "flags must be an object");
  if (i.chain !== void 0) {
    const chain = i.chain;
    for (const key of ["countyLeader", "unitHead", "deputy", "handler"]) {
      if (typeof chain?.[key] !== "string")
        add(`chain.${key}`, `\u8D23\u4EFB\u94FE ${key} \u987B\u4E3A\u6587\u5B57`, `chain.${key} must be a string`);
    }
  }
  return problems;
}
function valueFromInput(input) {
  const land = input.land;
  const bond = input.bond;
  const permits = input.permits ?? [];
  return {
    lifecycle: input.stage ?? "negotiating",
    permits: PERMIT_KEYS.every((k) => permits.includes(k)) ? "complete" : "pending",
    land: land === void 0 ? "notRequired" : isLandCleared(land) ? "cleared" : "clearing",
    bond: bond === void 0 ? "none" : (bond.disbursed ?? 0) >= bond.allocated ? "disbursed" : "allocated",
    statistics: input.statsRegistered === true ? "registered" : "unregistered",
    support: "normal"
  };
}
var DEFAULT_START = {
  lifecycle: "negotiating",
  permits: "pending",
  land: "notRequired",
  bond: "none",
  statistics: "unregistered",
  support: "normal"
};
function contextFromInput(input, options = {}) {
  const problems = validateProjectInput(input);
  if (problems.length > 0) throw new ProjectInputError(problems);
  if (options.atDefaultStart === true && JSON.stringify(valueFromInput(input)) !== JSON.stringify(DEFAULT_START)) {
    throw new ProjectInputError([
      {
        field: "stage",
        zh: "\u6B64\u8F93\u5165\u4F7F\u9879\u76EE\u5904\u4E8E\u975E\u521D\u59CB\u72B6\u6001,\u8BF7\u7528 initialProjectSnapshot(input) \u521B\u5EFA",
        en: "this input places the project beyond its initial states: create it with initialProjectSnapshot(input)"
      }
    ]);
  }
  const stage = input.stage ?? "negotiating";
  const since = input.since ?? input.asOf ?? null;
  const reached = (s) => stage === s ? since : null;
  const permits = PERMIT_KEYS.filter((k) => (input.permits ?? []).includes(k));
  const land = input.land;
  return {
    id: input.id,
    name: input.name.trim(),
    unitId: input.unitId,
    enterprise: input.enterprise ?? null,
    plannedInvestment: roundQuantity(input.plannedInvestment),
    stage,
    xiangshang: input.flags?.xiangshang === true,
    chain: input.chain ?? null,
    contractAmount: input.contractAmount === void 0 ? null : roundQuantity(input.contractAmount),
    permits,
    greenChannel: null,
    land: land === void 0 ? null : {
      requiredMu: roundQuantity(land.requiredMu),
      houses: roundQuantity(land.houses),
      clearedMu: roundQuantity(land.clearedMu ?? 0),
      demolished: roundQuantity(land.demolished ?? 0)
    },
    bond: {
      allocated: roundQuantity(input.bond?.allocated ?? 0),
      disbursed: roundQuantity(input.bond?.disbursed ?? 0)
    },
    outputTarget: input.outputTarget === void 0 ? null : roundQuantity(input.outputTarget),
    // Only when they differ from the defaults: earlier records stay exactly as they were.
    ...input.targetMonths === void 0 || input.targetMonths === 1 ? {} : { targetMonths: input.targetMonths },
    ...input.purpose === "public" ? { purpose: "public" } : {},
    ...input.annualPlan === void 0 || Object.keys(input.annualPlan).length === 0 ? {} : {
      annualPlan: Object.fromEntries(
        Object.entries(input.annualPlan).map(([year, amount]) => [year, roundQuantity(amount)])
      )
    },
    ...input.programmeId === void 0 ? {} : { programmeId: input.programmeId },
    ...input.capacity === void 0 ? {} : { capacity: { value: roundQuantity(input.capacity.value), unit: input.capacity.unit.trim() } },
    outputs: [],
    expert: null,
    dropReason: null,
    milestones: {
      signed: reached("signed"),
      started: reached("underConstruction"),
      completed: reached("completed"),
      production: reached("inProduction"),
      target: reached("atTarget"),
      dropped: null,
      registered: null,
      landCleared: null,
      bondDisbursed: null
    },
    lastEventAt: input.asOf ?? input.since ?? null
  };
}

// machines/project.ts
var PROJECT_MACHINE_VERSION = 1;
var kit = ruleKit({
  common: [notDropped, datedInOrder],
  commonPreconditions: [notDropped]
});
var rule = kit.rule;
var projectRules = {
  canSign: rule([], [contractAmountPositive]),
  canGrantPermit: rule([], [permitKnown, permitNotGranted, permitInOrder]),
  canOpenGreenChannel: rule([greenChannelClosed]),
  canReportClearance: rule([], [clearanceAmountsValid, clearanceWithinRequired]),
  canStartConstruction: rule([landReady, permitsComplete]),
  canRegisterStats: rule([startedOrLater, investmentMeetsStatsThreshold]),
  canComplete: rule([]),
  canStartProduction: rule([productive]),
  canSetOutputTarget: rule([productive], [outputTargetValid]),
  canReportOutput: rule([outputTargetSet], [outputReportValid]),
  canAllocateBond: rule([], [amountPositive, allocationWithinBound]),
  canDisburseBond: rule([], [amountPositive, disbursementWithinAllocation]),
  canEnterHelpPool: rule([inProduction, belowTarget], [expertNamed]),
  canDrop: rule([], [reasonGiven]),
  canReportInvestment: rule([investmentStarted], [investmentReportValid]),
  canReportProgress: rule([investmentStarted], [progressReportValid]),
  canRevisePlan: rule([], [planRevisionValid])
};
var projectMachine = setup({
  types: {
    context: {},
    events: {}
    // No declared input type: XState would then demand `input` even when restoring a snapshot.
    // Input is validated at run time by contextFromInput.
  },
  guards: {
    ...guardsFrom(projectRules),
    allPermitsGranted: ({ context }) => PERMIT_KEYS.every((k) => context.permits.includes(k)),
    landFullyCleared: ({ context }) => context.land !== null && isLandCleared(context.land),
    bondFullyDisbursed: ({ context }) => context.bond.disbursed >= context.bond.allocated,
    outputAtTarget: ({ context }) => outputAtTarget(context)
  },
  actions: {
    recordSignature: assign(({ context, event }) => {
      assertEvent(event, "SIGN");
      return {
        stage: "signed",
        contractAmount: roundQuantity(event.contractAmount),
        milestones: { ...context.milestones, signed: event.at },
        lastEventAt: event.at
      };
    }),
    recordDrop: assign(({ context, event }) => {
      assertEvent(event, "DROP");
      return {
        stage: "dropped",
        dropReason: event.reason.trim(),
        milestones: { ...context.milestones, dropped: event.at },
        lastEventAt: event.at
      };
    }),
    recordStart: assign(({ context, event }) => {
      assertEvent(event, "START_CONSTRUCTION");
      return {
        stage: "underConstruction",
        milestones: { ...context.milestones, started: event.at },
        lastEventAt: event.at
      };
    }),
    recordCompletion: assign(({ context, event }) => {
      assertEvent(event, "COMPLETE");
      return {
        stage: "completed",
        milestones: { ...context.milestones, completed: event.at },
        lastEventAt: event.at
      };
    }),
    recordProductionStart: assign(({ context, event }) => {
      assertEvent(event, "START_PRODUCTION");
      return {
        stage: "inProduction",
        milestones: { ...context.milestones, production: event.at },
        lastEventAt: event.at
      };
    }),
    recordOutput: assign(({ context, event }) => {
      assertEvent(event, "REPORT_OUTPUT");
      return {
        outputs: [...context.outputs, { month: event.month, output: roundQuantity(event.output) }],
        lastEventAt: event.at
      };
    }),
    recordOutputTarget: assign(({ event }) => {
      assertEvent(event, "SET_OUTPUT_TARGET");
      return { outputTarget: roundQuantity(event.outputTarget), lastEventAt: event.at };
    }),
    recordTargetReached: assign(({ context }) => ({
      stage: "atTarget",
      milestones: { ...context.milestones, target: context.lastEventAt }
    })),
    recordPermit: assign(({ context, event }) => {
      assertEvent(event, "GRANT_PERMIT");
      return { permits: [...context.permits, event.permit], lastEventAt: event.at };
    }),
    openGreenChannel: assign(({ event }) => {
      assertEvent(event, "GREEN_CHANNEL");
      return { greenChannel: event.at, lastEventAt: event.at };
    }),
    recordClearance: assign(({ context, event }) => {
      assertEvent(event, "REPORT_CLEARANCE");
      const land = context.land;
      return {
        land: {
          ...land,
          clearedMu: addQuantity(land.clearedMu, event.mu),
          demolished: roundQuantity(land.demolished + event.houses)
        },
        lastEventAt: event.at
      };
    }),
    markLandCleared: assign(({ context }) => ({
      milestones: { ...context.milestones, landCleared: context.lastEventAt }
    })),
    recordAllocation: assign(({ context, event }) => {
      assertEvent(event, "ALLOCATE_BOND");
      return {
        bond: { ...context.bond, allocated: addQuantity(context.bond.allocated, event.amount) },
        lastEventAt: event.at
      };
    }),
    recordDisbursement: assign(({ context, event }) => {
      assertEvent(event, "DISBURSE_BOND");
      return {
        bond: { ...context.bond, disbursed: addQuantity(context.bond.disbursed, event.amount) },
        lastEventAt: event.at
      };
    }),
    markBondDisbursed: assign(({ context }) => ({
      milestones: { ...context.milestones, bondDisbursed: context.lastEventAt }
    })),
    recordRegistration: assign(({ context, event }) => {
      assertEvent(event, "REGISTER_STATS");
      return { milestones: { ...context.milestones, registered: event.at }, lastEventAt: event.at };
    }),
    recordInvestment: assign(({ context, event }) => {
      assertEvent(event, "REPORT_INVESTMENT");
      return {
        investments: [...context.investments ?? [], { month: event.month, amount: roundQuantity(event.amount) }],
        lastEventAt: event.at
      };
    }),
    recordProgress: assign(({ context, event }) => {
      assertEvent(event, "REPORT_PROGRESS");
      return {
        progress: [
          ...context.progress ?? [],
          { month: event.month, percent: roundQuantity(event.percent), note: String(event.note ?? "").trim() }
        ],
        lastEventAt: event.at
      };
    }),
    recordPlanRevision: assign(({ context, event }) => {
      assertEvent(event, "REVISE_PLAN");
      const to = roundQuantity(event.plannedInvestment);
      return {
        plannedInvestment: to,
        planRevisions: [
          ...context.planRevisions ?? [],
          { at: event.at, from: context.plannedInvestment, to, reason: event.reason.trim() }
        ],
        lastEventAt: event.at
      };
    }),
    assignExpert: assign(({ event }) => {
      assertEvent(event, "ENTER_HELP_POOL");
      return { expert: event.expert.trim(), lastEventAt: event.at };
    })
  }
}).createMachine({
  id: "project",
  type: "parallel",
  context: ({ input }) => contextFromInput(input, { atDefaultStart: true }),
  states: {
    lifecycle: {
      initial: "negotiating",
      states: {
        negotiating: {
          on: {
            SIGN: { target: "signed", guard: "canSign", actions: "recordSignature" },
            DROP: { target: "dropped", guard: "canDrop", actions: "recordDrop" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          }
        },
        signed: {
          on: {
            START_CONSTRUCTION: { target: "underConstruction", guard: "canStartConstruction", actions: "recordStart" },
            DROP: { target: "dropped", guard: "canDrop", actions: "recordDrop" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          }
        },
        underConstruction: {
          on: {
            COMPLETE: { target: "completed", guard: "canComplete", actions: "recordCompletion" },
            SET_OUTPUT_TARGET: { guard: "canSetOutputTarget", actions: "recordOutputTarget" },
            REPORT_INVESTMENT: { guard: "canReportInvestment", actions: "recordInvestment" },
            REPORT_PROGRESS: { guard: "canReportProgress", actions: "recordProgress" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          }
        },
        completed: {
          on: {
            START_PRODUCTION: { target: "inProduction", guard: "canStartProduction", actions: "recordProductionStart" },
            SET_OUTPUT_TARGET: { guard: "canSetOutputTarget", actions: "recordOutputTarget" },
            REPORT_INVESTMENT: { guard: "canReportInvestment", actions: "recordInvestment" },
            REPORT_PROGRESS: { guard: "canReportProgress", actions: "recordProgress" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          }
        },
        inProduction: {
          on: {
            REPORT_OUTPUT: { guard: "canReportOutput", actions: "recordOutput" },
            // A project in production without its designed output can be given it: 达产 becomes reachable.
            SET_OUTPUT_TARGET: { guard: "canSetOutputTarget", actions: "recordOutputTarget" },
            REPORT_INVESTMENT: { guard: "canReportInvestment", actions: "recordInvestment" },
            REPORT_PROGRESS: { guard: "canReportProgress", actions: "recordProgress" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          },
          always: { target: "atTarget", guard: "outputAtTarget", actions: "recordTargetReached" }
        },
        atTarget: {
          on: {
            REPORT_OUTPUT: { guard: "canReportOutput", actions: "recordOutput" },
            REPORT_INVESTMENT: { guard: "canReportInvestment", actions: "recordInvestment" },
            REPORT_PROGRESS: { guard: "canReportProgress", actions: "recordProgress" },
            REVISE_PLAN: { guard: "canRevisePlan", actions: "recordPlanRevision" }
          }
        },
        dropped: { type: "final" }
      }
    },
    permits: {
      initial: "pending",
      states: {
        pending: {
          on: {
            GRANT_PERMIT: { guard: "canGrantPermit", actions: "recordPermit" },
            GREEN_CHANNEL: { guard: "canOpenGreenChannel", actions: "openGreenChannel" }
          },
          always: { target: "complete", guard: "allPermitsGranted" }
        },
        complete: {}
      }
    },
    land: {
      initial: "notRequired",
      states: {
        notRequired: {},
        clearing: {
          on: { REPORT_CLEARANCE: { guard: "canReportClearance", actions: "recordClearance" } },
          always: { target: "cleared", guard: "landFullyCleared", actions: "markLandCleared" }
        },
        cleared: {}
      }
    },
    bond: {
      initial: "none",
      states: {
        none: {
          on: { ALLOCATE_BOND: { target: "allocated", guard: "canAllocateBond", actions: "recordAllocation" } }
        },
        allocated: {
          on: {
            ALLOCATE_BOND: { guard: "canAllocateBond", actions: "recordAllocation" },
            DISBURSE_BOND: { guard: "canDisburseBond", actions: "recordDisbursement" }
          },
          always: { target: "disbursed", guard: "bondFullyDisbursed", actions: "markBondDisbursed" }
        },
        disbursed: {
          on: { ALLOCATE_BOND: { target: "allocated", guard: "canAllocateBond", actions: "recordAllocation" } }
        }
      }
    },
    statistics: {
      initial: "unregistered",
      states: {
        unregistered: {
          on: { REGISTER_STATS: { target: "registered", guard: "canRegisterStats", actions: "recordRegistration" } }
        },
        registered: {}
      }
    },
    support: {
      initial: "normal",
      states: {
        normal: {
          on: { ENTER_HELP_POOL: { target: "helpPool", guard: "canEnterHelpPool", actions: "assignExpert" } }
        },
        helpPool: {
          always: { target: "normal", guard: "outputAtTarget" }
        }
      }
    }
  }
});

// machines/explain.ts
var projectExplainer = explainerFor(
  projectMachine,
  projectRules,
  { events: EVENT_LABELS, states: STATE_LABELS, regions: REGION_LABELS },
  [notDropped, datedInOrder]
);
function explainRejection(view, event, clock) {
  return projectExplainer.explain(view, event, clock);
}
function eventOptions(view) {
  return projectExplainer.options(view);
}

// machines/project-snapshot.ts
function initialProjectSnapshot(input) {
  const context = contextFromInput(input);
  return projectMachine.resolveState({ value: { ...valueFromInput(input) }, context });
}

// machines/wei.ts
var WEI_KEYS = [
  "unsigned",
  "unstarted",
  "uncompleted",
  "unregistered",
  "unproductive",
  "belowTarget",
  "landUncleared",
  "bondUndisbursed"
];
var WEI_LABELS = {
  unsigned: { zh: "\u6D3D\u8C08\u672A\u7B7E\u7EA6", en: "negotiated, not signed" },
  unstarted: { zh: "\u7B7E\u7EA6\u672A\u5F00\u5DE5", en: "signed, not started" },
  uncompleted: { zh: "\u5F00\u5DE5\u672A\u7AE3\u5DE5", en: "started, not completed" },
  unregistered: { zh: "\u5728\u5EFA\u672A\u5165\u5E93", en: "under construction, not registered in statistics" },
  unproductive: { zh: "\u7AE3\u5DE5\u672A\u6295\u4EA7", en: "completed, not in production" },
  belowTarget: { zh: "\u6295\u4EA7\u672A\u8FBE\u4EA7", en: "in production, below target" },
  landUncleared: { zh: "\u5F81\u62C6\u672A\u6E05\u96F6", en: "land not cleared" },
  bondUndisbursed: { zh: "\u4E13\u503A\u8D44\u91D1\u672A\u62E8\u4ED8", en: "bond funds not disbursed" }
};
var WEI_WHEN = {
  unsigned: { lifecycle: "negotiating" },
  unstarted: { lifecycle: "signed" },
  uncompleted: { lifecycle: "underConstruction" },
  unregistered: { lifecycle: "underConstruction", statistics: "unregistered" },
  unproductive: { lifecycle: "completed" },
  belowTarget: { lifecycle: "inProduction" },
  landUncleared: { land: "clearing" },
  bondUndisbursed: { bond: "allocated" }
};
var HOLDS = Object.fromEntries(
  WEI_KEYS.map((key) => {
    const when = Object.entries(WEI_WHEN[key]);
    return [key, (v) => !isDropped(v) && when.every(([region, state]) => v[region] === state)];
  })
);
function isDropped(value) {
  return value.lifecycle === "dropped";
}
var WEI_APPLIES = {
  unregistered: {
    applies: (p) => p.plannedInvestment === void 0 || p.plannedInvestment >= STATS_THRESHOLD_WAN,
    zh: `\u8BA1\u5212\u603B\u6295\u8D44\u4E0D\u4F4E\u4E8E ${STATS_THRESHOLD_WAN} \u4E07\u5143\u7684\u9879\u76EE(\u4F4E\u4E8E\u7684\u4E0D\u5165\u5E93)`,
    en: `projects of ${STATS_THRESHOLD_WAN} (10k yuan) or more (smaller ones are never registered)`
  },
  unproductive: {
    applies: (p) => p.purpose !== "public",
    zh: "\u751F\u4EA7\u7ECF\u8425\u6027\u9879\u76EE(\u516C\u76CA\u6027\u9879\u76EE\u7AE3\u5DE5\u4EA4\u4ED8\u4F7F\u7528\u5373\u5B8C\u6210)",
    en: "productive projects (public works end at completion, handed over for use)"
  },
  belowTarget: {
    applies: (p) => p.purpose !== "public",
    zh: "\u751F\u4EA7\u7ECF\u8425\u6027\u9879\u76EE(\u516C\u76CA\u6027\u9879\u76EE\u7AE3\u5DE5\u4EA4\u4ED8\u4F7F\u7528\u5373\u5B8C\u6210)",
    en: "productive projects (public works end at completion, handed over for use)"
  }
};
function weiKeys(project) {
  const attributes = {
    plannedInvestment: project.context?.plannedInvestment ?? project.plannedInvestment,
    purpose: project.context?.purpose ?? project.purpose
  };
  return WEI_KEYS.filter((key) => HOLDS[key](project.value) && (WEI_APPLIES[key]?.applies(attributes) ?? true));
}

// machines/permissions.ts
var ROLES = ["hq", "unit", "finance", "stats", "naturalResources", "housing", "leader", "viewer"];
var ROLE_LABELS = {
  hq: { zh: "\u4E09\u9AD8\u529E", en: "campaign office" },
  unit: { zh: "\u8D23\u4EFB\u5355\u4F4D\u7ECF\u529E\u5458", en: "unit staff" },
  finance: { zh: "\u8D22\u653F\u5C40", en: "finance bureau" },
  stats: { zh: "\u7EDF\u8BA1\u5C40", en: "statistics bureau" },
  naturalResources: { zh: "\u81EA\u7136\u8D44\u6E90\u5C40", en: "natural resources bureau" },
  housing: { zh: "\u4F4F\u5EFA\u5C40", en: "housing and construction bureau" },
  leader: { zh: "\u9886\u5BFC", en: "leader" },
  viewer: { zh: "\u53EA\u8BFB", en: "viewer" }
};
var PROJECT_EVENT_ROLES = {
  SIGN: ["unit", "hq"],
  GRANT_PERMIT: ["unit", "hq", "naturalResources", "housing"],
  GREEN_CHANNEL: ["hq"],
  REPORT_CLEARANCE: ["unit", "hq"],
  START_CONSTRUCTION: ["unit", "hq"],
  REGISTER_STATS: ["stats"],
  COMPLETE: ["unit", "hq"],
  START_PRODUCTION: ["unit", "hq"],
  REPORT_OUTPUT: ["unit", "hq"],
  SET_OUTPUT_TARGET: ["unit", "hq"],
  ALLOCATE_BOND: ["finance"],
  DISBURSE_BOND: ["finance"],
  ENTER_HELP_POOL: ["hq", "unit"],
  DROP: ["hq"],
  REPORT_INVESTMENT: ["unit", "hq"],
  REPORT_PROGRESS: ["unit", "hq"],
  REVISE_PLAN: ["hq"]
};
var PERMIT_ISSUERS = {
  landUsePlanning: "naturalResources",
  landTitle: "naturalResources",
  engineeringPlanning: "naturalResources",
  construction: "housing"
};
function permitIssuerForbidden(staff, permit) {
  const departments = new Set(Object.values(PERMIT_ISSUERS));
  if (!departments.has(staff.role) || typeof permit !== "string") return null;
  const issuer = PERMIT_ISSUERS[permit];
  if (issuer === void 0 || issuer === staff.role) return null;
  return {
    rule: "permitIssuer",
    zh: `\u300C${ROLE_LABELS[staff.role].zh}\u300D\u4E0D\u80FD\u6838\u53D1\u8BE5\u8BC1\u4EF6,\u8BE5\u8BC1\u4EF6\u7531\u300C${ROLE_LABELS[issuer].zh}\u300D\u6838\u53D1`,
    en: `the ${ROLE_LABELS[staff.role].en} does not issue ${permit}: the ${ROLE_LABELS[issuer].en} does`
  };
}
var PROJECT_CREATE_ROLES = ["hq"];
function projectEventForbidden(staff, type, projectUnitId) {
  const roles = PROJECT_EVENT_ROLES[type];
  if (!roles.includes(staff.role)) {
    return {
      rule: "role",
      zh: `\u89D2\u8272\u300C${ROLE_LABELS[staff.role].zh}\u300D\u4E0D\u80FD\u53D1\u9001 ${type};\u53EF\u53D1\u9001\u7684\u89D2\u8272:${roles.map((r5) => ROLE_LABELS[r5].zh).join("\u3001")}`,
      en: `role "${staff.role}" may not send ${type}; allowed: ${roles.join(", ")}`
    };
  }
  if (staff.role === "unit" && staff.unitId !== projectUnitId) {
    return {
      rule: "unit",
      zh: `\u53EA\u80FD\u529E\u7406\u672C\u5355\u4F4D(${staff.unitId ?? "\u672A\u6307\u5B9A"})\u7684\u9879\u76EE,\u8BE5\u9879\u76EE\u5C5E\u4E8E ${projectUnitId}`,
      en: `unit staff act only on their own unit's (${staff.unitId ?? "none"}) projects; this one belongs to ${projectUnitId}`
    };
  }
  return null;
}
var CAMPAIGN_ROLES = ["hq"];
function mayRunCampaign(staff) {
  return CAMPAIGN_ROLES.includes(staff.role);
}
var PROBLEM_EVENT_ROLES = {
  RAISE: ["hq", "leader"],
  ASSIGN: ["hq"],
  RESOLVE: ["hq", "unit"],
  VERIFY: ["hq"],
  REOPEN: ["hq"]
};
function problemEventForbidden(staff, type, assignedUnit) {
  const roles = PROBLEM_EVENT_ROLES[type];
  if (!roles.includes(staff.role)) {
    return {
      rule: "role",
      zh: `\u89D2\u8272\u300C${ROLE_LABELS[staff.role].zh}\u300D\u4E0D\u80FD\u529E\u7406\u6B64\u4E8B\u9879;\u53EF\u529E\u7406\u7684\u89D2\u8272:${roles.map((r5) => ROLE_LABELS[r5].zh).join("\u3001")}`,
      en: `role "${staff.role}" may not ${type.toLowerCase()} problems; allowed: ${roles.join(", ")}`
    };
  }
  if (staff.role === "unit" && staff.unitId !== assignedUnit) {
    return {
      rule: "unit",
      zh: `\u8BE5\u95EE\u9898\u4EA4\u529E\u7ED9 ${assignedUnit ?? "(\u5C1A\u672A\u4EA4\u529E)"},\u4E0D\u662F\u672C\u5355\u4F4D(${staff.unitId ?? "\u672A\u6307\u5B9A"})`,
      en: `the problem is assigned to ${assignedUnit ?? "(not yet assigned)"}, not to your unit (${staff.unitId ?? "none"})`
    };
  }
  return null;
}
var CORRECTION_ROLES = ["hq"];
function correctionForbidden(staff) {
  return CORRECTION_ROLES.includes(staff.role) ? null : {
    rule: "role",
    zh: "\u53EA\u6709\u4E09\u9AD8\u529E\u53EF\u4EE5\u66F4\u6B63\u5DF2\u53D7\u7406\u7684\u4E8B\u9879",
    en: "only the campaign office (hq) corrects an accepted event"
  };
}

// machines/campaign-types.ts
var UNIT_GROUPS = ["township", "department", "soe", "park"];
var GROUP_LABELS = {
  township: { zh: "\u4E61\u9547(\u8857\u9053)", en: "townships" },
  department: { zh: "\u53BF\u76F4\u90E8\u95E8", en: "county departments" },
  soe: { zh: "\u56FD\u6709\u4F01\u4E1A", en: "state-owned enterprises" },
  park: { zh: "\u56ED\u533A", en: "industrial park" }
};
var TASKS = [
  "signed",
  "started",
  "completed",
  "registered",
  "intoProduction",
  "reachedTarget",
  "landMu",
  "housesDemolished",
  "bondDisbursed",
  "majorSignings",
  "xiangshang",
  "investment"
];
var TASK_LABELS = {
  signed: { zh: "\u6D3D\u8C08\u9879\u76EE\u7B7E\u7EA6", en: "negotiated projects signed", unit: { zh: "\u4E2A", en: "projects" } },
  started: { zh: "\u7B7E\u7EA6\u9879\u76EE\u5F00\u5DE5", en: "signed projects started", unit: { zh: "\u4E2A", en: "projects" } },
  completed: { zh: "\u5728\u5EFA\u9879\u76EE\u7AE3\u5DE5", en: "projects completed", unit: { zh: "\u4E2A", en: "projects" } },
  registered: { zh: "\u5728\u5EFA\u9879\u76EE\u5165\u5E93", en: "projects registered in statistics", unit: { zh: "\u4E2A", en: "projects" } },
  intoProduction: { zh: "\u7AE3\u5DE5\u9879\u76EE\u6295\u4EA7", en: "completed projects into production", unit: { zh: "\u4E2A", en: "projects" } },
  reachedTarget: { zh: "\u6295\u4EA7\u9879\u76EE\u8FBE\u4EA7", en: "projects reaching target", unit: { zh: "\u4E2A", en: "projects" } },
  landMu: { zh: "\u5F81\u62C6\u4F9B\u5730", en: "land cleared", unit: { zh: "\u4EA9", en: "mu" } },
  housesDemolished: { zh: "\u623F\u5C4B\u62C6\u8FC1", en: "houses demolished", unit: { zh: "\u680B", en: "houses" } },
  bondDisbursed: { zh: "\u4E13\u503A\u8D44\u91D1\u62E8\u4ED8", en: "bond funds disbursed", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  majorSignings: { zh: "\u4EBF\u5143\u4EE5\u4E0A\u9879\u76EE\u7B7E\u7EA6", en: "signings of \u2265 100m yuan", unit: { zh: "\u4E2A", en: "projects" } },
  xiangshang: { zh: "\u6E58\u5546\u56DE\u682A\u9879\u76EE\u7B7E\u7EA6", en: "returning-merchant projects signed", unit: { zh: "\u4E2A", en: "projects" } },
  investment: { zh: "\u5B8C\u6210\u6295\u8D44", en: "investment completed", unit: { zh: "\u4E07\u5143", en: "10k yuan" } }
};
var TASK_QUANTITY = {
  signed: "count",
  started: "count",
  completed: "count",
  registered: "count",
  intoProduction: "count",
  reachedTarget: "count",
  landMu: "land",
  housesDemolished: "houses",
  bondDisbursed: "money",
  majorSignings: "count",
  xiangshang: "count",
  investment: "money"
};
var TASK_CLEARS = {
  signed: "unsigned",
  started: "unstarted",
  completed: "uncompleted",
  registered: "unregistered",
  intoProduction: "unproductive",
  reachedTarget: "belowTarget"
};
var DEFAULT_LIGHTS = {
  basis: "plan",
  yellowWithinPoints: 30,
  unregisteredYellowMonths: 1,
  unregisteredRedMonths: 2,
  unstartedRedMonths: 3
};

// machines/campaign-calendar.ts
function campaignEnd(start, days) {
  return addDays(start, days - 1);
}
function campaignPeriods(start, days) {
  const end = campaignEnd(start, days);
  const periods = [];
  let from = start;
  while (from <= end) {
    const monthEnd = endOfMonth(from);
    const to = monthEnd < end ? monthEnd : end;
    periods.push({ month: monthOf(from), from, to });
    from = addDays(to, 1);
  }
  return periods;
}

// machines/campaign.ts
import { assertEvent as assertEvent2, assign as assign2, setup as setup2 } from "xstate";
var CAMPAIGN_MACHINE_VERSION = 1;
var MEASURES = ["investmentTrip", "enterpriseService", "constructionEnvironment"];
var MEASURE_LABELS = {
  investmentTrip: { zh: "\u5916\u51FA\u62DB\u5546", en: "investment-attraction trips", unit: { zh: "\u6B21", en: "trips" } },
  enterpriseService: { zh: "\u4F01\u4E1A\u529E\u4E8B\u4E0D\u6C42\u4EBA", en: "enterprise requests handled", unit: { zh: "\u4EF6", en: "requests" } },
  constructionEnvironment: {
    zh: "\u65BD\u5DE5\u73AF\u5883\u4FDD\u969C",
    en: "construction-environment cases resolved",
    unit: { zh: "\u4EF6", en: "cases" }
  }
};
var CAMPAIGN_EVENT_LABELS = {
  START: { zh: "\u542F\u52A8\u653B\u575A", en: "start the campaign" },
  SUPERVISE: { zh: "\u6708\u5EA6\u7763\u67E5", en: "hold the monthly supervision" },
  ASSESS: { zh: "\u8003\u6838\u603B\u7ED3", en: "assess" },
  CLOSE: { zh: "\u7ED3\u675F", en: "close" },
  RECORD_MEASURE: { zh: "\u767B\u8BB0\u653B\u575A\u4E3E\u63AA", en: "record a measure" }
};
var CAMPAIGN_STATE_LABELS = {
  draft: { zh: "\u7B79\u5907", en: "draft" },
  active: { zh: "\u653B\u575A\u4E2D", en: "active" },
  assessment: { zh: "\u8003\u6838", en: "assessment" },
  closed: { zh: "\u5DF2\u7ED3\u675F", en: "closed" }
};
var kit2 = ruleKit({ common: [datedInOrder] });
var r = (rule2, zh, en) => ({ rule: rule2, zh, en });
var onStartDay = (c, e) => e.at === c.config.start ? null : r(
  "startDate",
  `\u653B\u575A\u884C\u52A8\u5B9A\u4E8E ${c.config.start} \u542F\u52A8(\u6536\u5230 ${e.at})`,
  `the campaign starts on ${c.config.start} (got ${e.at})`
);
var nextSupervisionDue = (c, e) => {
  if (e.type !== "SUPERVISE") return null;
  const periods = campaignPeriods(c.config.start, c.config.days);
  const next = periods[c.supervisions.length];
  if (next === void 0)
    return r("allSupervised", "\u672C\u6B21\u653B\u575A\u7684\u6708\u5EA6\u7763\u67E5\u5DF2\u5168\u90E8\u5B8C\u6210", "every supervision of this campaign has been held");
  if (e.month !== next.month)
    return r(
      "supervisionOrder",
      `\u5E94\u7763\u67E5 ${next.month}(\u6536\u5230 ${String(e.month)})`,
      `the supervision due is ${next.month} (got ${String(e.month)})`
    );
  if (e.at < next.to)
    return r(
      "supervisionEarly",
      `${next.month} \u7763\u67E5\u987B\u5728 ${next.to} \u5F53\u671F\u7ED3\u675F\u540E\u8FDB\u884C(\u6536\u5230 ${e.at})`,
      `the ${next.month} supervision is held once the period ends on ${next.to} (got ${e.at})`
    );
  return null;
};
var allSupervisedAndEnded = (c, e) => {
  const periods = campaignPeriods(c.config.start, c.config.days);
  const end = campaignEnd(c.config.start, c.config.days);
  if (c.supervisions.length < periods.length) {
    return r(
      "supervisionsPending",
      `\u5C1A\u6709 ${periods.length - c.supervisions.length} \u6B21\u7763\u67E5\u672A\u8FDB\u884C(\u5171 ${periods.length} \u6B21)`,
      `${periods.length - c.supervisions.length} of ${periods.length} supervisions are still due`
    );
  }
  return e.at < end ? r("campaignNotOver", `\u653B\u575A\u671F\u81F3 ${end} \u7ED3\u675F(\u6536\u5230 ${e.at})`, `the campaign runs until ${end} (got ${e.at})`) : null;
};
var measureValid = (c, e) => {
  if (e.type !== "RECORD_MEASURE") return null;
  if (!MEASURES.includes(e.measure))
    return r("measureUnknown", `\u672A\u77E5\u4E3E\u63AA\u300C${String(e.measure)}\u300D`, `unknown measure "${String(e.measure)}"`);
  if (!c.config.units.some((u) => u.id === e.unitId))
    return r("measureUnit", `\u5355\u4F4D ${e.unitId} \u4E0D\u5728\u672C\u6B21\u653B\u575A\u884C\u52A8\u4E2D`, `${e.unitId} is not a unit of this campaign`);
  if (!Number.isInteger(e.count) || e.count < 1 || e.count > 1e4)
    return r(
      "measureCount",
      `\u6B21\u6570\u987B\u4E3A 1\u201310000 \u7684\u6574\u6570(\u6536\u5230 ${String(e.count)})`,
      "count must be a whole number 1\u201310000"
    );
  if (typeof e.note !== "string" || e.note.trim() === "")
    return r("measureNote", "\u987B\u5199\u660E\u529E\u7406\u60C5\u51B5", "say what was done (note)");
  return null;
};
var campaignRules = {
  canStart: kit2.rule([], [onStartDay]),
  canSupervise: kit2.rule([], [nextSupervisionDue]),
  canAssess: kit2.rule([], [allSupervisedAndEnded]),
  canClose: kit2.rule([]),
  canRecordMeasure: kit2.rule([], [measureValid])
};
function validateCampaignInput(input) {
  const problems = [];
  const add = (field2, zh, en) => problems.push({ field: field2, zh, en });
  if (typeof input !== "object" || input === null)
    return [{ field: "", zh: "\u653B\u575A\u884C\u52A8\u914D\u7F6E\u987B\u4E3A\u5BF9\u8C61", en: "a campaign must be an object" }];
  const c = input;
  if (typeof c.id !== "string" || c.id.trim() === "") add("id", "id \u4E0D\u80FD\u4E3A\u7A7A", "id must be a non-empty string");
  if (typeof c.name !== "string" || c.name.trim() === "")
    add("name", "name \u4E0D\u80FD\u4E3A\u7A7A", "name must be a non-empty string");
  if (!isIsoDate(c.start)) add("start", `\u542F\u52A8\u65E5\u671F\u65E0\u6548:${String(c.start)}`, `invalid start date ${String(c.start)}`);
  if (!Number.isInteger(c.days) || c.days < 1 || c.days > 366)
    add("days", "\u653B\u575A\u5929\u6570\u987B\u4E3A 1\u2013366 \u7684\u6574\u6570", "days must be a whole number from 1 to 366");
  const ids = /* @__PURE__ */ new Set();
  const units = Array.isArray(c.units) ? c.units : [];
  if (!Array.isArray(c.units) || units.length === 0)
    add("units", "\u987B\u5217\u51FA\u53C2\u52A0\u5355\u4F4D", "units must list the responsible units");
  for (const [i, unit] of units.entries()) {
    if (typeof unit?.id !== "string" || unit.id === "") {
      add(`units.${i}.id`, "\u5355\u4F4D\u7F16\u53F7\u4E0D\u80FD\u4E3A\u7A7A", "a unit needs an id");
      continue;
    }
    if (ids.has(unit.id)) add(`units.${i}.id`, `\u5355\u4F4D ${unit.id} \u91CD\u590D`, `unit ${unit.id} is listed twice`);
    ids.add(unit.id);
    if (!UNIT_GROUPS.includes(unit.group))
      add(
        `units.${i}.group`,
        `\u5355\u4F4D ${unit.id} \u7684\u5206\u7EC4\u300C${String(unit.group)}\u300D\u65E0\u6548`,
        `unit ${unit.id} has an unknown group "${String(unit.group)}"`
      );
  }
  if (c.landTaskMu !== void 0) {
    const mu2 = c.landTaskMu;
    if (typeof mu2 !== "number" || !Number.isFinite(mu2) || mu2 <= 0)
      add("landTaskMu", "\u5F81\u62C6\u4EFB\u52A1\u987B\u5927\u4E8E 0", "landTaskMu must be above 0");
    else {
      const tooMuch = quantityBoundProblem("land", "landTaskMu", "\u5F81\u62C6\u4EFB\u52A1", mu2);
      if (tooMuch !== null) add("landTaskMu", tooMuch.zh, tooMuch.en);
    }
  }
  if (c.locality !== void 0 && !["county", "city", "district"].includes(c.locality))
    add(
      "locality",
      `\u884C\u653F\u533A\u5212\u987B\u4E3A county(\u53BF)\u3001city(\u53BF\u7EA7\u5E02)\u6216 district(\u533A)`,
      "locality must be county, city or district"
    );
  for (const key of ["bottomN", "minRanked"]) {
    const n = c[key];
    if (n !== void 0 && (!Number.isInteger(n) || n < 1 || n > 1e3))
      add(key, `${key} \u987B\u4E3A 1\u20131000 \u7684\u6574\u6570`, `${key} must be a whole number from 1 to 1000`);
  }
  for (const [key, value] of Object.entries(c.lights ?? {})) {
    if (key === "basis") {
      if (value !== "plan" && value !== "calendar")
        add("lights.basis", `\u7EA2\u9EC4\u706F\u4F9D\u636E\u987B\u4E3A plan(\u6309\u8BA1\u5212)\u6216 calendar(\u6309\u5E8F\u65F6)`, "lights.basis must be plan or calendar");
      continue;
    }
    const max = key === "yellowWithinPoints" ? 100 : 120;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > max)
      add(`lights.${key}`, `\u7EA2\u9EC4\u706F\u53C2\u6570 ${key} \u987B\u4E3A 0\u2013${max} \u7684\u6570`, `lights.${key} must be a number from 0 to ${max}`);
  }
  const calendarOk = isIsoDate(c.start) && Number.isInteger(c.days) && c.days >= 1 && c.days <= 366;
  const months = calendarOk ? new Set(campaignPeriods(c.start, c.days).map((p) => p.month)) : /* @__PURE__ */ new Set();
  const targets = typeof c.targets === "object" && c.targets !== null ? c.targets : {};
  if (typeof c.targets !== "object" || c.targets === null)
    add(
      "targets",
      "targets \u987B\u4E3A\u5BF9\u8C61(\u5355\u4F4D \u2192 \u6708\u4EFD \u2192 \u4EFB\u52A1 \u2192 \u76EE\u6807)",
      "targets must be an object: unit \u2192 month \u2192 task \u2192 target"
    );
  for (const [unitId, byMonth] of Object.entries(targets)) {
    const at = `targets.${unitId}`;
    if (!ids.has(unitId))
      add(
        at,
        `\u76EE\u6807\u4E2D\u7684\u5355\u4F4D ${unitId} \u4E0D\u5728\u5355\u4F4D\u540D\u5355\u4E2D`,
        `targets name unit ${unitId}, which is not in the list of units`
      );
    for (const [month, tasks] of Object.entries(byMonth ?? {})) {
      if (months.size > 0 && !months.has(month))
        add(
          `${at}.${month}`,
          `${unitId} \u7684\u76EE\u6807\u6708\u4EFD ${month} \u4E0D\u5728\u653B\u575A\u671F\u5185`,
          `${unitId}: month ${month} is outside the campaign`
        );
      for (const [task, target] of Object.entries(tasks ?? {})) {
        const field2 = `${at}.${month}.${task}`;
        if (!TASKS.includes(task)) add(field2, `\u672A\u77E5\u4EFB\u52A1\u300C${task}\u300D`, `unknown task "${task}"`);
        else if (typeof target !== "number" || !Number.isFinite(target) || target < 0)
          add(field2, `${unitId} ${month} ${task} \u7684\u76EE\u6807\u987B\u4E3A\u975E\u8D1F\u6570`, `${unitId} ${month} ${task}: target must be \u2265 0`);
        else {
          const tooMuch = quantityBoundProblem(
            TASK_QUANTITY[task],
            `${unitId} ${month} ${task}`,
            `${unitId} ${month} ${task} \u7684\u76EE\u6807`,
            target
          );
          if (tooMuch !== null) add(field2, tooMuch.zh, tooMuch.en);
        }
      }
    }
  }
  return problems;
}
var campaignMachine = setup2({
  types: { context: {}, events: {} },
  guards: guardsFrom(campaignRules),
  actions: {
    recordStart: assign2(({ event }) => {
      assertEvent2(event, "START");
      return { startedOn: event.at, lastEventAt: event.at };
    }),
    recordSupervision: assign2(({ context, event }) => {
      assertEvent2(event, "SUPERVISE");
      return { supervisions: [...context.supervisions, { month: event.month, at: event.at }], lastEventAt: event.at };
    }),
    recordAssessment: assign2(({ event }) => {
      assertEvent2(event, "ASSESS");
      return { assessedOn: event.at, lastEventAt: event.at };
    }),
    // The record is the journal entry; the report counts them.
    recordMeasure: assign2(({ event }) => {
      assertEvent2(event, "RECORD_MEASURE");
      return { lastEventAt: event.at };
    }),
    recordClose: assign2(({ event }) => {
      assertEvent2(event, "CLOSE");
      return { closedOn: event.at, lastEventAt: event.at };
    })
  }
}).createMachine({
  id: "campaign",
  initial: "draft",
  context: ({ input }) => ({
    config: input,
    startedOn: null,
    supervisions: [],
    assessedOn: null,
    closedOn: null,
    lastEventAt: null
  }),
  states: {
    draft: { on: { START: { target: "active", guard: "canStart", actions: "recordStart" } } },
    active: {
      on: {
        SUPERVISE: { guard: "canSupervise", actions: "recordSupervision" },
        ASSESS: { target: "assessment", guard: "canAssess", actions: "recordAssessment" },
        RECORD_MEASURE: { guard: "canRecordMeasure", actions: "recordMeasure" }
      }
    },
    assessment: { on: { CLOSE: { target: "closed", guard: "canClose", actions: "recordClose" } } },
    closed: { type: "final" }
  }
});
var campaignExplainer = explainerFor(
  campaignMachine,
  campaignRules,
  { events: CAMPAIGN_EVENT_LABELS, states: CAMPAIGN_STATE_LABELS },
  [datedInOrder]
);

// machines/unit.ts
import { assertEvent as assertEvent3, assign as assign3, raise, setup as setup3 } from "xstate";
var UNIT_MACHINE_VERSION = 2;
function ladderKey(campaignId, unitId) {
  return `${encodeURIComponent(campaignId)}:${encodeURIComponent(unitId)}`;
}
var LOCALITIES = {
  county: { zh: "\u53BF", en: "county" },
  city: { zh: "\u5E02", en: "city" },
  district: { zh: "\u533A", en: "district" }
};
function ladderLabels(locality = "county") {
  const { zh: z10, en: e } = LOCALITIES[locality];
  return {
    good: { zh: "\u5B8C\u6210\u6708\u5EA6\u4EFB\u52A1", en: "met its monthly tasks" },
    missed: { zh: "\u672A\u5B8C\u6210\u6708\u5EA6\u4EFB\u52A1", en: "missed its monthly tasks" },
    deputyInterview: {
      zh: `\u7531${z10}\u59D4\u5E38\u59D4\u3001\u5E38\u52A1\u526F${z10}\u957F\u7EA6\u8C08\u5355\u4F4D\u4E3B\u8981\u8D1F\u8D23\u4EBA\u3001\u5206\u7BA1\u8D1F\u8D23\u4EBA`,
      en: `interview of the unit head and deputy by the executive deputy ${e} head`
    },
    secretaryInterview: {
      zh: `\u7531${z10}\u59D4\u3001${z10}\u653F\u5E9C\u4E3B\u8981\u8D1F\u8D23\u540C\u5FD7\u7EA6\u8C08\u5355\u4F4D\u515A\u3001\u653F\u4E3B\u8981\u8D1F\u8D23\u4EBA,\u7EA6\u8C08\u60C5\u51B5\u5168${z10}\u901A\u62A5`,
      en: `interview of the party and government heads by the ${e} party secretary and ${e} head, notified ${e}-wide`
    },
    accountability: { zh: `${z10}\u7EAA\u59D4\u76D1\u59D4\u95EE\u8D23\u8FFD\u8D23`, en: "held accountable by the discipline commission" }
  };
}
var LADDER_LABELS = ladderLabels("county");
function unitStateLabels(locality = "county") {
  const { zh: z10, en: e } = LOCALITIES[locality];
  return {
    goodStanding: { zh: "\u6B63\u5E38", en: "good standing" },
    deputyInterview: { zh: `\u5E38\u52A1\u526F${z10}\u957F\u7EA6\u8C08`, en: `interviewed by the executive deputy ${e} head` },
    secretaryInterview: { zh: `\u4E66\u8BB0${z10}\u957F\u7EA6\u8C08\u5E76\u901A\u62A5`, en: `interviewed by the secretary and ${e} head, notified` },
    accountability: { zh: "\u95EE\u8D23", en: "held accountable" }
  };
}
var UNIT_EVENT_LABELS = {
  MONTH_ASSESSED: { zh: "\u8BB0\u5F55\u6708\u5EA6\u7763\u67E5\u7ED3\u679C", en: "record a month\u2019s supervision" },
  RECORD_ACCOUNTABILITY: { zh: "\u8BB0\u5F55\u95EE\u8D23", en: "record accountability" }
};
var UNIT_STATE_LABELS = unitStateLabels("county");
function ladderStep(previous, month) {
  if (month.missedTasks.length === 0) return "good";
  if (previous !== void 0 && previous.missedTasks.length > 0) return "secretaryInterview";
  return month.bottomTasks.length > 0 ? "deputyInterview" : "missed";
}
var kit3 = ruleKit({ common: [datedInOrder] });
var r2 = (rule2, zh, en) => ({ rule: rule2, zh, en });
var nextMonth2 = (c, e) => {
  if (e.type !== "MONTH_ASSESSED") return null;
  if (!isIsoMonth(e.month) || !Array.isArray(e.missedTasks) || !Array.isArray(e.bottomTasks))
    return r2("assessmentShape", "\u7763\u67E5\u7ED3\u679C\u683C\u5F0F\u6709\u8BEF", "malformed assessment");
  const last = c.assessments.at(-1);
  return last !== void 0 && e.month <= last.month ? r2(
    "assessmentOrder",
    `${e.month} \u7684\u7763\u67E5\u7ED3\u679C\u4E0D\u5728 ${last.month} \u4E4B\u540E`,
    `the ${e.month} assessment does not follow ${last.month}`
  ) : null;
};
var reasonGiven2 = (_c, e) => e.type === "RECORD_ACCOUNTABILITY" && typeof e.reason === "string" && e.reason.trim() !== "" ? null : r2("reasonMissing", "\u95EE\u8D23\u987B\u5199\u660E\u4E8B\u7531", "accountability needs a reason");
var unitRules = {
  canRecordAssessment: kit3.rule([], [nextMonth2]),
  canRecordAccountability: kit3.rule([], [reasonGiven2])
};
var unitMachine = setup3({
  types: { context: {}, events: {} },
  guards: guardsFrom(unitRules),
  actions: {
    recordAssessment: assign3(({ context, event }) => {
      assertEvent3(event, "MONTH_ASSESSED");
      const month = {
        month: event.month,
        missedTasks: event.missedTasks,
        bottomTasks: event.bottomTasks
      };
      const step = ladderStep(context.assessments.at(-1), month);
      return { assessments: [...context.assessments, { ...month, step, at: event.at }], lastEventAt: event.at };
    }),
    climb: raise(({ context }) => {
      const step = context.assessments.at(-1)?.step;
      return { type: `ladder.${step ?? "missed"}` };
    }),
    recordAccountability: assign3(({ context, event }) => {
      assertEvent3(event, "RECORD_ACCOUNTABILITY");
      return {
        accountability: [...context.accountability, { at: event.at, reason: event.reason.trim() }],
        lastEventAt: event.at
      };
    })
  }
}).createMachine({
  id: "unit",
  initial: "goodStanding",
  context: ({ input }) => {
    const ladder = input;
    return {
      campaignId: ladder.campaignId,
      unitId: ladder.unitId,
      name: ladder.name,
      group: ladder.group,
      assessments: [],
      accountability: [],
      lastEventAt: null
    };
  },
  on: {
    // The month's step is raised as an internal event the ladder states react to; a month that
    // only missed (no interview) raises one that no state handles, so nothing moves.
    MONTH_ASSESSED: { guard: "canRecordAssessment", actions: ["recordAssessment", "climb"] },
    RECORD_ACCOUNTABILITY: {
      target: ".accountability",
      guard: "canRecordAccountability",
      actions: "recordAccountability"
    }
  },
  states: {
    goodStanding: {
      on: { "ladder.deputyInterview": "deputyInterview", "ladder.secretaryInterview": "secretaryInterview" }
    },
    deputyInterview: { on: { "ladder.good": "goodStanding", "ladder.secretaryInterview": "secretaryInterview" } },
    secretaryInterview: { on: { "ladder.good": "goodStanding" } },
    accountability: { on: { "ladder.good": "goodStanding" } }
  }
});
var unitExplainer = explainerFor(
  unitMachine,
  unitRules,
  { events: UNIT_EVENT_LABELS, states: UNIT_STATE_LABELS },
  [datedInOrder]
);

// machines/problem.ts
import { assertEvent as assertEvent4, assign as assign4, setup as setup4 } from "xstate";
var PROBLEM_MACHINE_VERSION = 1;
var PROBLEM_SOURCES = ["supervision", "onSiteMeeting", "dispatchMeeting"];
var PROBLEM_SOURCE_LABELS = {
  supervision: { zh: "\u7763\u67E5", en: "supervision" },
  onSiteMeeting: { zh: "\u73B0\u573A\u529E\u516C\u4F1A", en: "on-site office meeting" },
  dispatchMeeting: { zh: "\u8C03\u5EA6\u4F1A", en: "dispatch meeting" }
};
var PROBLEM_EVENT_LABELS = {
  ASSIGN: { zh: "\u4EA4\u529E", en: "assign" },
  RESOLVE: { zh: "\u9500\u53F7", en: "resolve" },
  VERIFY: { zh: "\u6838\u9A8C", en: "verify" },
  REOPEN: { zh: "\u9000\u56DE\u91CD\u529E", en: "reopen" }
};
var PROBLEM_STATE_LABELS = {
  raised: { zh: "\u5DF2\u63D0\u51FA", en: "raised" },
  assigned: { zh: "\u5DF2\u4EA4\u529E", en: "assigned" },
  resolved: { zh: "\u5DF2\u9500\u53F7", en: "resolved" },
  verified: { zh: "\u5DF2\u6838\u9A8C", en: "verified" }
};
var kit4 = ruleKit({ common: [datedInOrder] });
var r3 = (rule2, zh, en) => ({ rule: rule2, zh, en });
var assignment = (_c, e) => {
  if (e.type !== "ASSIGN") return null;
  if (typeof e.unitId !== "string" || e.unitId === "")
    return r3("unitMissing", "\u4EA4\u529E\u987B\u6307\u5B9A\u8D23\u4EFB\u5355\u4F4D", "an assignment names the responsible unit");
  if (!isIsoDate(e.due) || e.due < e.at)
    return r3(
      "dueDate",
      `\u529E\u7ED3\u65F6\u9650 ${String(e.due)} \u987B\u4E3A\u4E0D\u65E9\u4E8E\u4EA4\u529E\u65E5 ${e.at} \u7684\u65E5\u671F`,
      `the due date ${String(e.due)} must be a date on or after ${e.at}`
    );
  return null;
};
var textGiven = (field2, zh, en) => (_c, e) => {
  const text2 = e[field2];
  return typeof text2 === "string" && text2.trim() !== "" ? null : r3(`${field2}Missing`, zh, en);
};
var problemRules = {
  canAssign: kit4.rule([], [assignment]),
  canResolve: kit4.rule([], [textGiven("note", "\u9500\u53F7\u987B\u8BF4\u660E\u529E\u7406\u7ED3\u679C", "resolving needs a note of what was done")]),
  canVerify: kit4.rule([]),
  canReopen: kit4.rule([], [textGiven("reason", "\u9000\u56DE\u987B\u8BF4\u660E\u539F\u56E0", "reopening needs a reason")])
};
function isOverdue(problem, today) {
  return problem.due !== null && problem.resolvedOn === null && problem.due < today;
}
var problemMachine = setup4({
  types: { context: {}, events: {} },
  guards: guardsFrom(problemRules),
  actions: {
    recordAssignment: assign4(({ event }) => {
      assertEvent4(event, "ASSIGN");
      return { unitId: event.unitId, due: event.due, assignedOn: event.at, lastEventAt: event.at };
    }),
    recordResolution: assign4(({ event }) => {
      assertEvent4(event, "RESOLVE");
      return { resolvedOn: event.at, resolution: event.note.trim(), lastEventAt: event.at };
    }),
    recordVerification: assign4(({ event }) => {
      assertEvent4(event, "VERIFY");
      return { verifiedOn: event.at, lastEventAt: event.at };
    }),
    recordReopening: assign4(({ context, event }) => {
      assertEvent4(event, "REOPEN");
      return {
        resolvedOn: null,
        resolution: null,
        reopened: [...context.reopened, { at: event.at, reason: event.reason.trim() }],
        lastEventAt: event.at
      };
    })
  }
}).createMachine({
  id: "problem",
  initial: "raised",
  context: ({ input }) => {
    const p = input;
    return {
      ...p,
      unitId: null,
      due: null,
      assignedOn: null,
      resolvedOn: null,
      resolution: null,
      verifiedOn: null,
      reopened: [],
      lastEventAt: p.raisedOn
    };
  },
  states: {
    raised: { on: { ASSIGN: { target: "assigned", guard: "canAssign", actions: "recordAssignment" } } },
    assigned: { on: { RESOLVE: { target: "resolved", guard: "canResolve", actions: "recordResolution" } } },
    resolved: {
      on: {
        VERIFY: { target: "verified", guard: "canVerify", actions: "recordVerification" },
        REOPEN: { target: "assigned", guard: "canReopen", actions: "recordReopening" }
      }
    },
    verified: { type: "final" }
  }
});
var problemExplainer = explainerFor(
  problemMachine,
  problemRules,
  { events: PROBLEM_EVENT_LABELS, states: PROBLEM_STATE_LABELS },
  [datedInOrder]
);

// machines/filing.ts
import { assertEvent as assertEvent5, assign as assign5, setup as setup5 } from "xstate";
var FILING_MACHINE_VERSION = 1;
var ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
var ATTACHMENT_LIMITS = { bytes: 10 * 1024 * 1024, perFiling: 10 };
var FILING_EVENT_LABELS = {
  APPROVE: { zh: "\u5BA1\u6838\u901A\u8FC7", en: "approve" },
  RETURN: { zh: "\u9000\u56DE", en: "return" },
  RESUBMIT: { zh: "\u91CD\u65B0\u62A5\u9001", en: "resubmit" },
  WITHDRAW: { zh: "\u64A4\u56DE", en: "withdraw" }
};
var FILING_STATE_LABELS = {
  submitted: { zh: "\u5F85\u5BA1\u6838", en: "submitted" },
  returned: { zh: "\u5DF2\u9000\u56DE", en: "returned" },
  resubmitted: { zh: "\u91CD\u65B0\u62A5\u9001\u5F85\u5BA1\u6838", en: "resubmitted" },
  approved: { zh: "\u5DF2\u901A\u8FC7", en: "approved" },
  withdrawn: { zh: "\u5DF2\u64A4\u56DE", en: "withdrawn" }
};
function isPending(state) {
  return state === "submitted" || state === "resubmitted";
}
function isFilingOverdue(state, context, today) {
  return isPending(state) && context.due < today;
}
var kit5 = ruleKit({ common: [datedInOrder] });
var r4 = (rule2, zh, en) => ({ rule: rule2, zh, en });
var reasonGiven3 = (_c, e) => e.type === "RETURN" && (typeof e.reason !== "string" || e.reason.trim() === "") ? r4("reasonMissing", "\u9000\u56DE\u987B\u8BF4\u660E\u539F\u56E0", "returning a filing needs a reason") : null;
var sameEventType = (c, e) => {
  if (e.type !== "RESUBMIT") return null;
  const type = e.event?.type;
  if (type !== c.event.type)
    return r4(
      "sameEventType",
      `\u91CD\u65B0\u62A5\u9001\u987B\u4E3A\u540C\u4E00\u4E8B\u9879(${c.event.type}),\u6536\u5230 ${String(type)}`,
      `a resubmission files the same event (${c.event.type}), not ${String(type)}`
    );
  if (!isIsoDate(e.event.at))
    return r4("eventDate", `\u62A5\u9001\u4E8B\u9879\u7684\u65E5\u671F\u65E0\u6548:\u300C${String(e.event.at)}\u300D`, `invalid event date "${String(e.event.at)}"`);
  return null;
};
var attachmentCount = (c, e) => {
  if (e.type !== "RESUBMIT") return null;
  const n = (e.attachments ?? c.attachments).length;
  return n > ATTACHMENT_LIMITS.perFiling ? r4(
    "attachmentCount",
    `\u9644\u4EF6 ${n} \u4E2A,\u8D85\u8FC7\u4E0A\u9650 ${ATTACHMENT_LIMITS.perFiling} \u4E2A`,
    `${n} attachments, more than the ${ATTACHMENT_LIMITS.perFiling} allowed`
  ) : null;
};
var filingRules = {
  canApprove: kit5.rule([]),
  canReturn: kit5.rule([], [reasonGiven3]),
  canResubmit: kit5.rule([], [sameEventType, attachmentCount]),
  canWithdraw: kit5.rule([])
};
var filingMachine = setup5({
  types: { context: {}, events: {} },
  guards: guardsFrom(filingRules),
  actions: {
    recordApproval: assign5(({ event }) => ({ decidedOn: event.at, lastEventAt: event.at })),
    recordReturn: assign5(({ context, event }) => {
      assertEvent5(event, "RETURN");
      return { returns: [...context.returns, { at: event.at, reason: event.reason.trim() }], lastEventAt: event.at };
    }),
    recordResubmission: assign5(({ context, event }) => {
      assertEvent5(event, "RESUBMIT");
      return {
        replaced: [...context.replaced, context.event],
        event: event.event,
        attachments: event.attachments ?? context.attachments,
        resubmittedOn: event.at,
        due: addWorkingDays(event.at, context.reviewDays),
        lastEventAt: event.at
      };
    }),
    recordWithdrawal: assign5(({ event }) => ({ decidedOn: event.at, lastEventAt: event.at }))
  }
}).createMachine({
  id: "filing",
  initial: "submitted",
  context: ({ input }) => {
    const f = input;
    return {
      ...f,
      due: addWorkingDays(f.submittedOn, f.reviewDays),
      returns: [],
      replaced: [],
      resubmittedOn: null,
      decidedOn: null,
      lastEventAt: f.submittedOn
    };
  },
  states: {
    submitted: {
      on: {
        APPROVE: { target: "approved", guard: "canApprove", actions: "recordApproval" },
        RETURN: { target: "returned", guard: "canReturn", actions: "recordReturn" },
        WITHDRAW: { target: "withdrawn", guard: "canWithdraw", actions: "recordWithdrawal" }
      }
    },
    returned: {
      on: {
        RESUBMIT: { target: "resubmitted", guard: "canResubmit", actions: "recordResubmission" },
        WITHDRAW: { target: "withdrawn", guard: "canWithdraw", actions: "recordWithdrawal" }
      }
    },
    resubmitted: {
      on: {
        APPROVE: { target: "approved", guard: "canApprove", actions: "recordApproval" },
        RETURN: { target: "returned", guard: "canReturn", actions: "recordReturn" },
        WITHDRAW: { target: "withdrawn", guard: "canWithdraw", actions: "recordWithdrawal" }
      }
    },
    approved: { type: "final" },
    withdrawn: { type: "final" }
  }
});
var filingExplainer = explainerFor(
  filingMachine,
  filingRules,
  { events: FILING_EVENT_LABELS, states: FILING_STATE_LABELS },
  [datedInOrder]
);
var REVIEWER_ROLES = [
  "hq",
  "housing",
  "naturalResources",
  "stats",
  "finance"
];
var DEFAULT_REVIEW_DAYS = 3;
function reviewPolicy(campaigns, unitId, type) {
  for (const campaign of campaigns) {
    if (campaign.value !== "draft" && campaign.value !== "active") continue;
    const config = campaign.context.config;
    const reviewers = config.review?.events[type];
    if (reviewers === void 0 || reviewers.length === 0) continue;
    if (!config.units.some((u) => u.id === unitId)) continue;
    return {
      campaignId: config.id,
      reviewers: [...reviewers],
      reviewDays: config.review?.workingDays ?? DEFAULT_REVIEW_DAYS
    };
  }
  return null;
}
function filingReviewForbidden(staff, filing) {
  if (filing.reviewers.includes(staff.role)) return null;
  return r4(
    "reviewer",
    `\u89D2\u8272\u300C${ROLE_LABELS[staff.role].zh}\u300D\u4E0D\u80FD\u5BA1\u6838\u8BE5\u586B\u62A5;\u5BA1\u6838\u4EBA:${filing.reviewers.map((x) => ROLE_LABELS[x].zh).join("\u3001")}`,
    `role "${staff.role}" does not review this filing; its reviewers: ${filing.reviewers.join(", ")}`
  );
}
function filingFilerForbidden(staff, filing) {
  if (staff.role === "hq") return null;
  if (staff.role === "unit" && staff.unitId === filing.unitId) return null;
  return r4(
    "filer",
    `\u53EA\u6709\u586B\u62A5\u5355\u4F4D(${filing.unitId})\u6216\u4E09\u9AD8\u529E\u53EF\u4EE5\u91CD\u65B0\u62A5\u9001\u6216\u64A4\u56DE`,
    `only the filing unit (${filing.unitId}) or the campaign office resubmits or withdraws a filing`
  );
}

// machines/programme.ts
import { assertEvent as assertEvent6, assign as assign6, setup as setup6 } from "xstate";
var PROGRAMME_MACHINE_VERSION = 1;
var PROGRAMME_EVENT_LABELS = {
  REVISE: { zh: "\u8C03\u6574\u7533\u62A5\u603B\u91CF", en: "revise the declared totals" }
};
var PROGRAMME_STATE_LABELS = { active: { zh: "\u5728\u518C", en: "registered" } };
var kit6 = ruleKit({ common: [datedInOrder] });
var reasonGiven4 = (_c, e) => typeof e.reason === "string" && e.reason.trim() !== "" ? null : { rule: "reasonMissing", zh: "\u8C03\u6574\u987B\u8BF4\u660E\u539F\u56E0", en: "a revision needs a reason" };
var programmeRules = { canRevise: kit6.rule([], [reasonGiven4]) };
var programmeMachine = setup6({
  types: { context: {}, events: {} },
  guards: guardsFrom(programmeRules),
  actions: {
    recordRevision: assign6(({ context, event }) => {
      assertEvent6(event, "REVISE");
      const changed = ["plannedInvestment", "capacity", "landMu", "unitIds"].filter(
        (k) => event[k] !== void 0
      );
      return {
        ...event.plannedInvestment === void 0 ? {} : { plannedInvestment: roundQuantity(event.plannedInvestment) },
        ...event.capacity === void 0 ? {} : { capacity: event.capacity },
        ...event.landMu === void 0 ? {} : { landMu: roundQuantity(event.landMu) },
        ...event.unitIds === void 0 ? {} : { unitIds: event.unitIds },
        revisions: [...context.revisions, { at: event.at, reason: event.reason.trim(), changed: [...changed] }],
        lastEventAt: event.at
      };
    })
  }
}).createMachine({
  id: "programme",
  initial: "active",
  context: ({ input }) => {
    const p = input;
    return { ...p, revisions: [], lastEventAt: p.registeredOn };
  },
  states: { active: { on: { REVISE: { guard: "canRevise", actions: "recordRevision" } } } }
});
var programmeExplainer = explainerFor(
  programmeMachine,
  programmeRules,
  { events: PROGRAMME_EVENT_LABELS, states: PROGRAMME_STATE_LABELS },
  [datedInOrder]
);
var AT_OR_PAST = {
  signed: ["signed", ...STARTED_STAGES],
  completed: ["completed", "inProduction", "atTarget"]
};
function programmeRollup(programme, subs) {
  const byStage = {};
  const wei = Object.fromEntries(WEI_KEYS.map((k) => [k, 0]));
  let inAny = 0;
  const sum = (values2) => values2.reduce((acc, v) => addQuantity(acc, v), 0);
  const stageOf = (s) => s.value.lifecycle;
  for (const s of subs) {
    byStage[stageOf(s)] = (byStage[stageOf(s)] ?? 0) + 1;
    const keys = weiKeys(s);
    if (keys.length > 0) inAny += 1;
    for (const k of keys) wei[k] += 1;
  }
  const planned = (filter) => sum(subs.filter(filter).map((s) => s.context.plannedInvestment));
  const capacityUnit = programme.capacity?.unit ?? subs.find((s) => s.context.capacity !== void 0)?.context.capacity?.unit;
  const capacityOf = (filter) => sum(
    subs.filter((s) => filter(s) && s.context.capacity?.unit === capacityUnit).map((s) => s.context.capacity.value)
  );
  const rollup = {
    subProjects: subs.length,
    units: [...new Set(subs.map((s) => s.context.unitId))].sort(),
    byStage,
    wei: { ...wei, inAny },
    land: {
      requiredMu: sum(subs.map((s) => s.context.land?.requiredMu ?? 0)),
      clearedMu: sum(subs.map((s) => s.context.land?.clearedMu ?? 0)),
      declaredMu: programme.landMu ?? null
    },
    investment: {
      declared: programme.plannedInvestment,
      planned: planned(() => true),
      signed: planned((s) => AT_OR_PAST.signed.includes(stageOf(s))),
      started: planned((s) => STARTED_STAGES.includes(stageOf(s))),
      completed: planned((s) => AT_OR_PAST.completed.includes(stageOf(s))),
      invested: sum(subs.map((s) => investedSoFar(s.context)))
    },
    capacity: capacityUnit === void 0 ? null : {
      unit: capacityUnit,
      declared: programme.capacity?.value ?? null,
      total: capacityOf(() => true),
      started: capacityOf((s) => STARTED_STAGES.includes(stageOf(s))),
      inProduction: capacityOf((s) => stageOf(s) === "inProduction" || stageOf(s) === "atTarget")
    },
    discrepancies: []
  };
  const differs = (field2, label, unit, declared, total) => {
    if (declared === null || declared === void 0 || Math.abs(declared - total) < 1e-6) return;
    rollup.discrepancies.push({
      field: field2,
      declared,
      total,
      zh: `\u7533\u62A5${label.zh} ${formatQuantity(declared)} ${unit},\u5B50\u9879\u76EE\u5408\u8BA1 ${formatQuantity(total)} ${unit}`,
      en: `declared ${label.en} ${formatQuantity(declared)} ${unit}, the sub-projects add up to ${formatQuantity(total)} ${unit}`
    });
  };
  differs(
    "plannedInvestment",
    { zh: "\u8BA1\u5212\u603B\u6295\u8D44", en: "planned investment" },
    "\u4E07\u5143",
    programme.plannedInvestment,
    rollup.investment.planned
  );
  differs("landMu", { zh: "\u7528\u5730", en: "land" }, "\u4EA9", programme.landMu, rollup.land.requiredMu);
  if (rollup.capacity !== null)
    differs(
      "capacity",
      { zh: "\u89C4\u6A21", en: "capacity" },
      rollup.capacity.unit,
      rollup.capacity.declared,
      rollup.capacity.total
    );
  return rollup;
}

// machines/investment.ts
function monthsFrom(from, to) {
  const out = [];
  let [y, m] = from.split("-").map(Number);
  for (let guard = 0; guard < 600; guard++) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    if (month > to) break;
    out.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
function previousMonth(month) {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}
function investmentSummary(config, ledger, projects2, asOf) {
  const end = campaignEnd(config.start, config.days);
  const years = [.../* @__PURE__ */ new Set([config.start.slice(0, 4), end.slice(0, 4)])];
  const units = new Set(config.units.map((u) => u.id));
  const mine = projects2.filter((p) => units.has(p.context.unitId) && p.value.lifecycle !== "dropped");
  const completedBy = /* @__PURE__ */ new Map();
  for (const m of ledger.movements)
    if (m.task === "investment" && m.retractedSeq === void 0 && m.at >= config.start && m.at <= end)
      completedBy.set(m.unitId, addQuantity(completedBy.get(m.unitId) ?? 0, m.amount));
  const rate = (done, plan) => plan > 0 ? done / plan : null;
  const byUnit = config.units.map((u) => {
    const own = mine.filter((p) => p.context.unitId === u.id);
    const planned = own.reduce((acc, p) => addQuantity(acc, p.context.plannedInvestment), 0);
    const annualPlan = own.reduce(
      (acc, p) => years.reduce((a, y) => addQuantity(a, p.context.annualPlan?.[y] ?? 0), acc),
      0
    );
    const completed = completedBy.get(u.id) ?? 0;
    return { unitId: u.id, planned, annualPlan, completed, rate: rate(completed, annualPlan) };
  });
  const tracked = Object.values(config.targets).some((months) => Object.values(months).some((t) => (t.investment ?? 0) > 0)) || byUnit.some((u) => u.annualPlan > 0) || ledger.movements.some((m) => m.task === "investment");
  const lastFull = asOf === null || !tracked ? null : previousMonth(monthOf(asOf));
  const missing = lastFull === null ? [] : mine.flatMap((p) => {
    const since = p.context.milestones.registered ?? (p.value.statistics === "registered" ? p.context.milestones.started : null);
    if (p.value.statistics !== "registered" || since === null) return [];
    const reported = new Set((p.context.investments ?? []).map((r5) => r5.month));
    const months = monthsFrom(monthOf(since), lastFull).filter((m) => !reported.has(m));
    return months.length === 0 ? [] : [{ projectId: p.context.id, unitId: p.context.unitId, months }];
  });
  const sum = (key) => byUnit.reduce((acc, u) => addQuantity(acc, u[key]), 0);
  return {
    tracked,
    planned: sum("planned"),
    annualPlan: sum("annualPlan"),
    completed: sum("completed"),
    rate: rate(sum("completed"), sum("annualPlan")),
    byUnit,
    missing,
    asOf
  };
}

// machines/ledger.ts
var MAJOR_PROJECT_WAN = 1e4;
function knownAt(m, cutoffSeq) {
  return m.seq <= cutoffSeq && (m.retractedSeq === void 0 || m.retractedSeq > cutoffSeq);
}
var COUNT_EVENT = {
  SIGN: "signed",
  START_CONSTRUCTION: "started",
  COMPLETE: "completed",
  REGISTER_STATS: "registered",
  START_PRODUCTION: "intoProduction"
};
function movementsOf(project, event, to) {
  const out = [];
  const count = COUNT_EVENT[event.type];
  if (count !== void 0) out.push({ task: count, amount: 1 });
  if (event.type === "SIGN" && project.plannedInvestment >= MAJOR_PROJECT_WAN)
    out.push({ task: "majorSignings", amount: 1 });
  if (event.type === "SIGN" && project.xiangshang) out.push({ task: "xiangshang", amount: 1 });
  if (to.lifecycle === "atTarget" && project.value.lifecycle !== "atTarget")
    out.push({ task: "reachedTarget", amount: 1 });
  if (event.type === "REPORT_CLEARANCE") {
    if (Number(event.mu) > 0) out.push({ task: "landMu", amount: Number(event.mu) });
    if (Number(event.houses) > 0) out.push({ task: "housesDemolished", amount: Number(event.houses) });
  }
  if (event.type === "DISBURSE_BOND") out.push({ task: "bondDisbursed", amount: Number(event.amount) });
  if (event.type === "REPORT_INVESTMENT") out.push({ task: "investment", amount: Number(event.amount) });
  return out;
}
var LedgerFold = class {
  constructor(options = {}) {
    this.options = options;
  }
  options;
  ledger = {
    projects: /* @__PURE__ */ new Map(),
    movements: [],
    baseline: /* @__PURE__ */ new Map(),
    events: [],
    refusals: [],
    corrections: [],
    pending: [],
    programmes: /* @__PURE__ */ new Map()
  };
  // A programme's ≥ 1 亿元 signing counts once, for its first sub-project to sign.
  programmesSigned = /* @__PURE__ */ new Set();
  // What each accepted event moved and the project as it was, by seq (for corrections).
  moved = /* @__PURE__ */ new Map();
  openSpans = /* @__PURE__ */ new Map();
  frozen = false;
  baselineSeq = Number.MAX_SAFE_INTEGER;
  /** The 八未 list is frozen as it stands after entry `seq` (the campaign's START), once. */
  freezeAfter(seq) {
    if (!this.frozen) this.baselineSeq = seq;
  }
  /**
   * The ledger of the entries added so far. Before the list is frozen, its baseline is every
   * project's 八未 now (in a copy: the fold itself stays unfrozen).
   */
  view() {
    if (this.frozen) return this.ledger;
    return { ...this.ledger, baseline: new Map([...this.ledger.projects.values()].map((p) => [p.id, weiKeys(p)])) };
  }
  /** A sub-project's ≥ 1 亿元 signing is its programme's, counted once (unless `programmes: each`). */
  atProgrammeLevel(project, event, moves) {
    const programme = project.programmeId === void 0 ? void 0 : this.ledger.programmes.get(project.programmeId);
    if (programme === void 0 || this.options.programmes === "each") return moves;
    const rest = moves.filter((m) => m.task !== "majorSignings");
    if (event.type !== "SIGN" || programme.plannedInvestment < MAJOR_PROJECT_WAN || this.programmesSigned.has(programme.id))
      return rest;
    this.programmesSigned.add(programme.id);
    return [...rest, { task: "majorSignings", amount: 1 }];
  }
  add(fact) {
    const { ledger, moved } = this;
    if (!this.frozen && fact.seq > this.baselineSeq) {
      for (const p of ledger.projects.values()) ledger.baseline.set(p.id, weiKeys(p));
      this.frozen = true;
    }
    if (fact.entity === "filing") {
      trackFiling(ledger, this.openSpans, fact);
      return;
    }
    if (fact.entity === "programme" && fact.kind !== "refusal") {
      const input = fact.kind === "create" ? fact.input : fact.event;
      const known = ledger.programmes.get(fact.id);
      ledger.programmes.set(fact.id, {
        id: fact.id,
        name: input.name ?? known?.name ?? fact.id,
        plannedInvestment: input.plannedInvestment ?? known?.plannedInvestment ?? 0
      });
      return;
    }
    if (fact.entity !== "project") return;
    if (fact.kind === "create") {
      const input = fact.input;
      ledger.projects.set(fact.id, {
        id: fact.id,
        name: input.name,
        unitId: input.unitId,
        plannedInvestment: input.plannedInvestment,
        xiangshang: input.flags?.xiangshang === true,
        illustrative: input.flags?.illustrative === true,
        ...input.purpose === void 0 ? {} : { purpose: input.purpose },
        ...input.programmeId === void 0 ? {} : { programmeId: input.programmeId },
        value: valueFromInput(input),
        stageSince: input.since ?? input.asOf ?? null
      });
      return;
    }
    const project = ledger.projects.get(fact.id);
    const event = fact.event;
    if (project === void 0) return;
    if (fact.kind === "refusal") {
      const rejection = fact.rejection;
      ledger.refusals.push({
        seq: fact.seq,
        at: fact.at,
        projectId: fact.id,
        actor: fact.actor,
        type: String(event?.type),
        ...rejection
      });
      return;
    }
    const to = fact.to;
    const baselineKeys = ledger.baseline.get(fact.id) ?? [];
    const movementsFor = (before, e, at2, after) => this.atProgrammeLevel(before, e, movementsOf(before, e, after)).map((m) => {
      const clears = TASK_CLEARS[m.task];
      return {
        seq: fact.seq,
        // 完成投资 counts in the month it is for: its last day, or the report's day within it.
        at: m.task === "investment" && isIsoMonth(e.month) ? minDate(endOfMonth(`${e.month}-01`), at2) : at2,
        projectId: fact.id,
        unitId: before.unitId,
        task: m.task,
        amount: m.amount,
        baseline: clears === void 0 || this.frozen && baselineKeys.includes(clears)
      };
    });
    if (fact.kind === "correction") {
      const original = moved.get(fact.supersedes);
      if (original === void 0) return;
      for (const m of original.movements) m.retractedSeq ??= fact.seq;
      const replacement = fact.void === true ? [] : movementsFor(original.before, event, String(event.at ?? fact.at), original.to);
      ledger.movements.push(...replacement);
      moved.set(fact.supersedes, { ...original, movements: replacement });
      ledger.corrections.push({
        seq: fact.seq,
        supersedes: fact.supersedes,
        projectId: fact.id,
        at: fact.at,
        type: String(ledger.events.find((e) => e.seq === fact.supersedes)?.type),
        void: fact.void === true,
        reason: fact.reason ?? "",
        actor: fact.actor
      });
      const index = ledger.events.findIndex((e) => e.seq === fact.supersedes);
      if (index >= 0) {
        if (fact.void === true) ledger.events.splice(index, 1);
        else ledger.events[index] = { ...ledger.events[index], at: String(event.at ?? ledger.events[index].at) };
      }
      ledger.projects.set(fact.id, { ...project, value: to });
      return;
    }
    const at = this.options.countIn === "approved" && fact.link?.entity === "filing" && fact.link.at !== void 0 ? fact.link.at : fact.at;
    const movements = movementsFor(project, event, at, to);
    ledger.movements.push(...movements);
    moved.set(fact.seq, { movements, before: project, to });
    ledger.events.push({ seq: fact.seq, at, projectId: fact.id, type: event.type, from: project.value, to });
    ledger.projects.set(fact.id, {
      ...project,
      value: to,
      stageSince: to.lifecycle !== project.value.lifecycle ? at : project.stageSince
    });
  }
};
function trackFiling(ledger, open7, fact) {
  if (fact.kind === "refusal" || fact.kind === "correction") return;
  const close = () => {
    const span = open7.get(fact.id);
    if (span !== void 0) span.toSeq = fact.seq;
    open7.delete(fact.id);
  };
  const start = (projectId, unitId, event2) => {
    const project = ledger.projects.get(projectId);
    const span = {
      filingId: fact.id,
      projectId,
      unitId,
      type: event2.type,
      at: String(event2.at),
      fromSeq: fact.seq,
      toSeq: null,
      moves: project === void 0 ? [] : movementsOf(project, event2, project.value)
    };
    ledger.pending.push(span);
    open7.set(fact.id, span);
  };
  if (fact.kind === "create") {
    const input = fact.input;
    start(input.projectId, input.unitId, input.event);
    return;
  }
  const event = fact.event;
  if (event.type === "RESUBMIT" && event.event !== void 0) {
    const last = ledger.pending.findLast((p) => p.filingId === fact.id);
    if (last !== void 0) start(last.projectId, last.unitId, event.event);
    return;
  }
  close();
}
function pendingAt(ledger, cutoffSeq) {
  return ledger.pending.filter((p) => p.fromSeq <= cutoffSeq && (p.toSeq === null || p.toSeq > cutoffSeq));
}
function sumMovements(movements, filter) {
  let total = 0;
  for (const m of movements) if (filter(m)) total = addQuantity(total, m.amount);
  return total;
}
function byDateThenSeq(a, b) {
  const [x, y] = [a.at ?? "", b.at ?? ""];
  return x < y ? -1 : x > y ? 1 : a.seq - b.seq;
}
function dayTargetReached(movements, target) {
  let running = 0;
  for (const m of [...movements].sort(byDateThenSeq)) {
    running = addQuantity(running, m.amount);
    if (running >= target) return m.at;
  }
  return null;
}
function minDate(a, b) {
  return a < b ? a : b;
}

// machines/supervision.ts
function lightFor(rate, elapsed, rules) {
  if (rate >= elapsed) return "green";
  return (elapsed - rate) * 100 <= rules.yellowWithinPoints + 1e-9 ? "yellow" : "red";
}
function rankUnits(rows) {
  const key = (r5) => [r5.rate, r5.actual, r5.reachedOn ?? "9999-12-31"];
  const sorted = [...rows].sort((a, b) => {
    const [ra, aa, da] = key(a);
    const [rb, ab, db] = key(b);
    return rb - ra || ab - aa || (da < db ? -1 : da > db ? 1 : 0) || (a.unitId < b.unitId ? -1 : 1);
  });
  const ranks = /* @__PURE__ */ new Map();
  sorted.forEach((row, i) => {
    const prev = sorted[i - 1];
    const tied = prev !== void 0 && key(prev).every((v, j) => v === key(row)[j]);
    ranks.set(row.unitId, tied ? ranks.get(prev.unitId) : i + 1);
  });
  return ranks;
}
function periodMovements(ledger, period, cutoffSeq) {
  return ledger.movements.filter((m) => knownAt(m, cutoffSeq) && m.at >= period.from && m.at <= period.to);
}
var cellKey = (unitId, task) => `${unitId}\0${task}`;
function byCell(movements) {
  const cells = /* @__PURE__ */ new Map();
  for (const m of movements) {
    const key = cellKey(m.unitId, m.task);
    const cell = cells.get(key);
    if (cell === void 0) cells.set(key, [m]);
    else cell.push(m);
  }
  return cells;
}
function cellMovements(inPeriod, unitId, task) {
  return inPeriod.filter((m) => m.unitId === unitId && m.task === task);
}
function superviseMonth(config, ledger, period, cutoffSeq, previous) {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const bottomN = config.bottomN ?? 2;
  const minRanked = config.minRanked ?? 3;
  const sameTask = config.bottomOnMissedTask ?? true;
  const counts2 = (m) => (config.scope ?? "all") === "all" || m.baseline;
  const end = campaignEnd(config.start, config.days);
  const elapsed = Math.min(1, (daysBetween(config.start, period.to) + 1) / config.days);
  const inPeriod = periodMovements(ledger, period, cutoffSeq);
  const toDate = ledger.movements.filter(
    (m) => knownAt(m, cutoffSeq) && m.at >= config.start && m.at <= period.to && m.at <= end
  );
  const periodByCell = byCell(inPeriod);
  const toDateByCell = byCell(toDate);
  const waiting = pendingAt(ledger, cutoffSeq);
  const pendingOf = (unitId, task) => waiting.filter((p) => p.unitId === unitId).reduce((acc, p) => p.moves.filter((m) => m.task === task).reduce((a, m) => addQuantity(a, m.amount), acc), 0);
  const units = config.units.map((unit) => {
    const targets = config.targets[unit.id]?.[period.month] ?? {};
    const tasks = TASKS.map((task) => {
      const target = targets[task] ?? 0;
      const mine = periodByCell.get(cellKey(unit.id, task)) ?? [];
      const actual = sumMovements(mine, counts2);
      const newActual = sumMovements(mine, (m) => !counts2(m));
      const reachedOn = target > 0 ? dayTargetReached(mine.filter(counts2), target) : null;
      const campaignActual = sumMovements(toDateByCell.get(cellKey(unit.id, task)) ?? [], counts2);
      const months = Object.entries(config.targets[unit.id] ?? {});
      const planned = (upTo) => months.filter(([month]) => month <= upTo).reduce((acc, [, t]) => acc + (t[task] ?? 0), 0);
      const [basisTarget, expected] = rules.basis === "plan" ? [planned(period.month), 1] : [planned("9999-12"), elapsed];
      return {
        task,
        target,
        actual,
        newActual,
        rate: target > 0 ? actual / target : null,
        rank: null,
        ranked: 0,
        bottom: false,
        reachedOn,
        light: basisTarget > 0 ? lightFor(campaignActual / basisTarget, expected, rules) : null,
        pending: pendingOf(unit.id, task)
      };
    });
    return { unitId: unit.id, name: unit.name, group: unit.group, tasks };
  });
  const lowRanked = /* @__PURE__ */ new Set();
  for (const group of new Set(config.units.map((u) => u.group))) {
    const members = units.filter((u) => u.group === group);
    for (const task of TASKS) {
      const rows = members.flatMap((u) => {
        const t = u.tasks.find((x) => x.task === task);
        return t.rate === null ? [] : [{ unitId: u.unitId, rate: t.rate, actual: t.actual, reachedOn: t.reachedOn }];
      });
      const ranks = rankUnits(rows);
      for (const u of members) {
        const t = u.tasks.find((x) => x.task === task);
        const rank = ranks.get(u.unitId);
        if (rank === void 0) continue;
        t.rank = rank;
        t.ranked = rows.length;
        t.bottom = rows.length >= minRanked && rank > rows.length - bottomN && t.actual < t.target;
        if (rows.length >= minRanked && rank > rows.length - bottomN) lowRanked.add(`${u.unitId} ${task}`);
      }
    }
  }
  const previousByUnit = new Map(
    previous?.units.map((u) => [
      u.unitId,
      { month: previous.month, missedTasks: u.missedTasks, bottomTasks: u.bottomTasks }
    ])
  );
  return {
    month: period.month,
    from: period.from,
    to: period.to,
    elapsed,
    units: units.map((u) => {
      const missedTasks = u.tasks.filter((t) => t.rate !== null && t.actual < t.target).map((t) => t.task);
      const bottomTasks = u.tasks.filter((t) => sameTask ? t.bottom : lowRanked.has(`${u.unitId} ${t.task}`)).map((t) => t.task);
      const prior = previousByUnit.get(u.unitId);
      const assessment = { month: period.month, missedTasks, bottomTasks };
      const step = ladderStep(prior, assessment);
      return { ...u, missedTasks, bottomTasks, step };
    })
  };
}
function targetWarnings(config, projects2) {
  const inCategory = /* @__PURE__ */ new Map();
  for (const p of projects2)
    for (const key of p.wei) inCategory.set(`${p.unitId} ${key}`, (inCategory.get(`${p.unitId} ${key}`) ?? 0) + 1);
  const warnings = [];
  for (const unit of config.units)
    for (const task of TASKS) {
      const clears = TASK_CLEARS[task];
      if (clears === void 0) continue;
      const target = Object.values(config.targets[unit.id] ?? {}).reduce((acc, t) => acc + (t[task] ?? 0), 0);
      const possible = inCategory.get(`${unit.id} ${clears}`) ?? 0;
      if (target > possible)
        warnings.push({
          unitId: unit.id,
          task,
          target,
          possible,
          zh: `${unit.name}\u300C${TASK_LABELS[task].zh}\u300D\u76EE\u6807 ${target} \u4E2A,\u73B0\u6709\u53EF\u5B8C\u6210\u7684\u9879\u76EE\u53EA\u6709 ${possible} \u4E2A`,
          en: `${unit.name}: a target of ${target} for ${task}, but only ${possible} project(s) could meet it`
        });
    }
  return warnings;
}

// machines/campaign-totals.ts
var TOTAL_LABELS = {
  intoProduction: { zh: "\u6295\u4EA7\u9879\u76EE", en: "projects into production", unit: { zh: "\u4E2A", en: "projects" } },
  reachedTarget: { zh: "\u8FBE\u4EA7\u9879\u76EE", en: "projects at target", unit: { zh: "\u4E2A", en: "projects" } },
  bondProjectsAdvanced: { zh: "\u63A8\u8FDB\u4E13\u9879\u503A\u9879\u76EE", en: "bond projects advanced", unit: { zh: "\u4E2A", en: "projects" } },
  landSuppliedMu: { zh: "\u5B8C\u6210\u5F81\u62C6\u4F9B\u5730", en: "land cleared and supplied", unit: { zh: "\u4EA9", en: "mu" } },
  housesDemolished: { zh: "\u5B8C\u6210\u623F\u5C4B\u62C6\u8FC1", en: "houses demolished", unit: { zh: "\u680B", en: "houses" } },
  majorSignings: { zh: "\u7B7E\u7EA6\u5F15\u8FDB\u4EBF\u5143\u4EE5\u4E0A\u9879\u76EE", en: "signings of \u2265 100m yuan", unit: { zh: "\u4E2A", en: "projects" } },
  majorStarted: { zh: "\u4EBF\u5143\u4EE5\u4E0A\u91CD\u70B9\u9879\u76EE\u5C65\u7EA6\u5F00\u5DE5", en: "major projects started", unit: { zh: "\u4E2A", en: "projects" } },
  xiangshangProjects: { zh: "\u6E58\u5546\u56DE\u682A\u6295\u8D44\u9879\u76EE", en: "returning-merchant projects", unit: { zh: "\u4E2A", en: "projects" } },
  parkSignings: { zh: "\u56ED\u533A\u65B0\u7B7E\u7EA6\u9879\u76EE", en: "park signings", unit: { zh: "\u4E2A", en: "projects" } },
  parkStarts: { zh: "\u56ED\u533A\u65B0\u5F00\u5DE5\u9879\u76EE", en: "park starts", unit: { zh: "\u4E2A", en: "projects" } },
  parkCompletions: { zh: "\u56ED\u533A\u65B0\u7AE3\u5DE5\u9879\u76EE", en: "park completions", unit: { zh: "\u4E2A", en: "projects" } },
  bondDisbursedWan: { zh: "\u62E8\u4ED8\u4E13\u9879\u503A\u8D44\u91D1", en: "bond funds disbursed", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  investmentWan: { zh: "\u5B8C\u6210\u6295\u8D44", en: "investment completed", unit: { zh: "\u4E07\u5143", en: "10k yuan" } },
  majorSigningsProjects: {
    zh: "\u4EBF\u5143\u4EE5\u4E0A\u7B7E\u7EA6(\u6309\u5355\u4E2A\u9879\u76EE\u8BA1)",
    en: "signings of \u2265 100m yuan, project by project",
    unit: { zh: "\u4E2A", en: "projects" }
  },
  majorStartedProjects: {
    zh: "\u4EBF\u5143\u4EE5\u4E0A\u5F00\u5DE5(\u6309\u5355\u4E2A\u9879\u76EE\u8BA1)",
    en: "major starts, project by project",
    unit: { zh: "\u4E2A", en: "projects" }
  }
};
var ADVANCES = /* @__PURE__ */ new Set(["SIGN", "START_CONSTRUCTION", "COMPLETE", "START_PRODUCTION"]);
function campaignTotals(config, ledger) {
  const end = campaignEnd(config.start, config.days);
  const movements = ledger.movements.filter((m) => m.retractedSeq === void 0 && m.at >= config.start && m.at <= end);
  const landTaskMetOn = config.landTaskMu === void 0 ? null : dayTargetReached(
    movements.filter((m) => m.task === "landMu"),
    config.landTaskMu
  );
  const contributions = totalContributions(config, ledger);
  const counted = Object.fromEntries(
    COUNTED_TOTALS.map((key) => [key, contributions[key].reduce((t, c) => addQuantity(t, c.amount), 0)])
  );
  return {
    ...counted,
    landTaskMu: config.landTaskMu ?? null,
    landTaskMet: landTaskMetOn !== null,
    landTaskMetOn,
    landTaskMetDay: landTaskMetOn === null ? null : daysBetween(config.start, landTaskMetOn) + 1
  };
}
var COUNTED_TOTALS = Object.keys(TOTAL_LABELS);
function reportedTotals(tracksInvestment) {
  return COUNTED_TOTALS.filter((key) => key !== "investmentWan" || tracksInvestment);
}
function totalContributions(config, ledger) {
  const end = campaignEnd(config.start, config.days);
  const inWindow = (at) => at >= config.start && at <= end;
  const events2 = ledger.events.filter((e) => inWindow(e.at));
  const movements = ledger.movements.filter((m) => m.retractedSeq === void 0 && inWindow(m.at));
  const park = new Set(config.units.filter((u) => u.group === "park").map((u) => u.id));
  const project = (id2) => ledger.projects.get(id2);
  const each = (filter) => events2.filter(filter).map((e) => ({ projectId: e.projectId, amount: 1 }));
  const ofType = (type, filter = () => true) => each((e) => e.type === type && filter(project(e.projectId)));
  const once = config.programmes !== "each";
  const atLevel = (type) => {
    const seen = /* @__PURE__ */ new Set();
    const out = [];
    for (const e of [...events2].sort(byDateThenSeq)) {
      if (e.type !== type) continue;
      const p = project(e.projectId);
      const programme = p.programmeId === void 0 ? void 0 : ledger.programmes.get(p.programmeId);
      const key = programme === void 0 ? `p:${p.id}` : `g:${programme.id}`;
      const planned = programme === void 0 ? p.plannedInvestment : programme.plannedInvestment;
      if (planned < MAJOR_PROJECT_WAN || seen.has(key)) continue;
      seen.add(key);
      out.push({ projectId: e.projectId, amount: 1 });
    }
    return out;
  };
  const distinct = (filter) => [...new Set(events2.filter(filter).map((e) => e.projectId))].map((projectId) => ({ projectId, amount: 1 }));
  const moved = (task) => movements.filter((m) => m.task === task).map((m) => ({ projectId: m.projectId, amount: m.amount }));
  return {
    intoProduction: ofType("START_PRODUCTION"),
    reachedTarget: each((e) => e.to.lifecycle === "atTarget" && e.from.lifecycle !== "atTarget"),
    bondProjectsAdvanced: distinct((e) => e.type === "DISBURSE_BOND"),
    landSuppliedMu: moved("landMu"),
    housesDemolished: moved("housesDemolished"),
    majorSignings: once ? atLevel("SIGN") : ofType("SIGN", (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    majorStarted: once ? atLevel("START_CONSTRUCTION") : ofType("START_CONSTRUCTION", (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    majorSigningsProjects: ofType("SIGN", (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    majorStartedProjects: ofType("START_CONSTRUCTION", (p) => p.plannedInvestment >= MAJOR_PROJECT_WAN),
    xiangshangProjects: distinct((e) => ADVANCES.has(e.type) && project(e.projectId).xiangshang),
    parkSignings: ofType("SIGN", (p) => park.has(p.unitId)),
    parkStarts: ofType("START_CONSTRUCTION", (p) => park.has(p.unitId)),
    parkCompletions: ofType("COMPLETE", (p) => park.has(p.unitId)),
    bondDisbursedWan: moved("bondDisbursed"),
    investmentWan: moved("investment")
  };
}
function burnDown(config, facts) {
  const attributes = /* @__PURE__ */ new Map();
  const series = [];
  const counts2 = Object.fromEntries(WEI_KEYS.map((k) => [k, 0]));
  let dropped = 0;
  const held = /* @__PURE__ */ new Map();
  const move = (id2, value) => {
    const before = held.get(id2);
    if (before !== void 0) {
      for (const key of before.keys) counts2[key] -= 1;
      if (before.dropped) dropped -= 1;
    }
    const now = { keys: weiKeys({ value, ...attributes.get(id2) }), dropped: isDropped(value) };
    for (const key of now.keys) counts2[key] += 1;
    if (now.dropped) dropped += 1;
    held.set(id2, now);
  };
  const snapshotDay = (day, date2) => series.push({ day, date: date2, counts: { ...counts2 }, dropped });
  const sorted = [...facts].filter((f) => f.entity === "project" && f.kind !== "refusal").sort(byDateThenSeq);
  let i = 0;
  for (let day = 0; day <= config.days; day++) {
    const date2 = addDays(config.start, day - 1);
    while (i < sorted.length && (sorted[i].at ?? "") <= date2) {
      const f = sorted[i];
      if (f.kind === "create") {
        const input = f.input;
        attributes.set(f.id, { plannedInvestment: input.plannedInvestment, purpose: input.purpose });
        move(f.id, valueFromInput(input));
      } else move(f.id, f.to);
      i += 1;
    }
    snapshotDay(day, date2);
  }
  return series;
}
function projectLights(config, ledger, date2) {
  const rules = { ...DEFAULT_LIGHTS, ...config.lights };
  const out = [];
  for (const p of ledger.projects.values()) {
    if (p.stageSince === null) continue;
    const months = monthsBetween(p.stageSince, date2);
    if (p.value.lifecycle === "underConstruction" && p.value.statistics === "unregistered" && months >= rules.unregisteredYellowMonths) {
      const light = months >= rules.unregisteredRedMonths ? "red" : "yellow";
      out.push({
        projectId: p.id,
        unitId: p.unitId,
        light,
        reason: { zh: `\u5F00\u5DE5 ${months} \u4E2A\u6708\u672A\u5165\u5E93`, en: `under construction ${months} months, not registered` }
      });
    }
    if (p.value.lifecycle === "signed" && months >= rules.unstartedRedMonths) {
      out.push({
        projectId: p.id,
        unitId: p.unitId,
        light: "red",
        reason: { zh: `\u7B7E\u7EA6 ${months} \u4E2A\u6708\u672A\u5F00\u5DE5`, en: `signed ${months} months, not started` }
      });
    }
  }
  return out.sort((a, b) => a.projectId < b.projectId ? -1 : 1);
}

// machines/campaign-report.ts
function campaignSupervisions(config, facts) {
  const fold = new CampaignFold(config);
  for (const fact of facts) fold.add(fact);
  return fold.derived();
}
var CampaignFold = class {
  constructor(config) {
    this.config = config;
    this.ledger = new LedgerFold({
      countIn: config.review?.countIn ?? "filed",
      programmes: config.programmes ?? "once"
    });
    this.periods = campaignPeriods(config.start, config.days);
  }
  config;
  ledger;
  periods;
  supervisions = [];
  cutoffs = /* @__PURE__ */ new Map();
  /** SUPERVISE entries folded but not yet computed: the month and the entry's seq. */
  held = [];
  started = false;
  /** The seq of the last entry added. */
  position = 0;
  add(fact) {
    if (fact.entity === "campaign" && fact.id === this.config.id && fact.kind === "event") {
      const event = fact.event;
      if (event.type === "START" && !this.started) {
        this.started = true;
        this.ledger.freezeAfter(fact.seq);
      }
      if (event.type === "SUPERVISE") {
        this.cutoffs.set(event.month, fact.seq);
        this.held.push({ month: event.month, seq: fact.seq });
      }
    }
    this.ledger.add(fact);
    this.position = fact.seq;
  }
  /** The ledger and supervisions as of the entries added (the lists and map are copies). */
  derived() {
    const ledger = this.ledger.view();
    for (const { month, seq } of this.held.splice(0))
      this.supervisions.push(
        superviseMonth(
          this.config,
          ledger,
          this.periods.find((p) => p.month === month),
          seq,
          this.supervisions.at(-1)
        )
      );
    return { ledger, supervisions: [...this.supervisions], cutoffs: new Map(this.cutoffs) };
  }
};
function supervisionCellProjects(config, facts, month, task, unitId) {
  const { ledger, cutoffs } = Array.isArray(facts) ? campaignSupervisions(config, facts) : facts;
  const cutoff = cutoffs.get(month);
  const period = campaignPeriods(config.start, config.days).find((p) => p.month === month);
  if (cutoff === void 0 || period === void 0) return void 0;
  const inPeriod = periodMovements(ledger, period, cutoff);
  const units = unitId === void 0 ? config.units.map((u) => u.id) : [unitId];
  return new Set(units.flatMap((u) => cellMovements(inPeriod, u, task).map((m) => m.projectId)));
}
function campaignReport(campaign, facts, ladderIds, projects2 = [], reviews = { asOf: null, pending: 0, overdue: 0, byUnit: [] }, programmes = [], derived = campaignSupervisions(campaign.context.config, facts)) {
  const config = campaign.context.config;
  const { ledger, supervisions } = derived;
  const end = campaignEnd(config.start, config.days);
  const ladders = config.units.map((u) => ({
    unitId: u.id,
    name: u.name,
    group: u.group,
    state: "goodStanding",
    months: [],
    accountability: []
  }));
  const byUnit = new Map(ladders.map((l) => [l.unitId, l]));
  const ladderOfEntity = (entityId) => byUnit.get(ladderIds.get(entityId) ?? "");
  const problems = /* @__PURE__ */ new Map();
  for (const fact of facts) {
    const ladder = fact.entity === "unit" && fact.kind === "event" ? ladderOfEntity(fact.id) : void 0;
    if (ladder !== void 0) {
      ladder.state = String(fact.to);
      const event = fact.event;
      if (event.type === "RECORD_ACCOUNTABILITY") ladder.accountability.push({ at: event.at, reason: event.reason });
    }
    if (fact.entity === "problem" && fact.kind === "create") {
      const input = fact.input;
      problems.set(fact.id, {
        id: fact.id,
        projectId: input.projectId,
        title: input.title,
        source: input.source,
        state: "raised",
        raisedOn: input.raisedOn,
        unitId: null,
        due: null,
        resolvedOn: null,
        verifiedOn: null,
        overdue: false
      });
    }
    if (fact.entity === "problem" && fact.kind === "event" && problems.has(fact.id)) {
      const p = problems.get(fact.id);
      const event = fact.event;
      p.state = String(fact.to);
      if (event.type === "ASSIGN") Object.assign(p, { unitId: event.unitId, due: event.due });
      if (event.type === "RESOLVE") p.resolvedOn = event.at;
      if (event.type === "REOPEN") p.resolvedOn = null;
      if (event.type === "VERIFY") p.verifiedOn = event.at;
    }
  }
  for (const s of supervisions) {
    for (const u of s.units)
      byUnit.get(u.unitId)?.months.push({ month: s.month, step: u.step, missedTasks: u.missedTasks, bottomTasks: u.bottomTasks });
  }
  const lastDay = supervisions.at(-1)?.to ?? config.start;
  for (const p of problems.values()) p.overdue = isOverdue(p, lastDay);
  const refusals = ledger.refusals.filter((r5) => r5.at === null || r5.at >= config.start && r5.at <= end);
  const byRule = {};
  for (const r5 of refusals) byRule[r5.rule] = (byRule[r5.rule] ?? 0) + 1;
  const baselineCounts = {};
  let inAny = 0;
  for (const keys of ledger.baseline.values()) {
    if (keys.length > 0) inAny += 1;
    for (const k of keys) baselineCounts[k] = (baselineCounts[k] ?? 0) + 1;
  }
  const enteredLater = new Set(ledger.movements.filter((m) => !m.baseline).map((m) => m.projectId)).size;
  const reportedProblems = [...problems.values()].filter((p) => ledger.projects.has(p.projectId));
  const lights = projectLights(config, ledger, lastDay);
  const investment = investmentSummary(config, ledger, projects2, reviews.asOf);
  const named = /* @__PURE__ */ new Set([
    ...reportedProblems.map((p) => p.projectId),
    ...refusals.map((r5) => r5.projectId),
    ...lights.map((l) => l.projectId),
    ...investment.missing.map((m) => m.projectId)
  ]);
  return {
    campaign: {
      id: config.id,
      name: config.name,
      start: config.start,
      end,
      days: config.days,
      state: campaign.value,
      supervisedMonths: supervisions.map((s) => s.month),
      bottomN: config.bottomN ?? 2,
      locality: config.locality ?? "county",
      scope: config.scope ?? "all",
      lightsBasis: config.lights?.basis ?? "plan"
    },
    totals: campaignTotals(config, ledger),
    baseline: { counts: baselineCounts, projectsInAny: inAny, enteredLater },
    supervisions,
    ladders,
    problems: reportedProblems,
    refusals: {
      count: refusals.length,
      byRule,
      list: refusals.map(({ at, projectId, actor, type, rule: rule2, zh, en }) => ({
        at,
        projectId,
        actor,
        type,
        rule: rule2,
        zh,
        en
      }))
    },
    burnDown: burnDown(config, facts),
    reviews: {
      ...reviews,
      corrections: ledger.corrections.filter((c) => ledger.projects.has(c.projectId)).map(({ seq, supersedes, projectId, type, void: voided, reason, actor }) => ({
        seq,
        supersedes,
        projectId,
        type,
        void: voided,
        reason,
        actor
      }))
    },
    programmes: programmes.flatMap((programme) => {
      const subs = projects2.filter(
        (p) => p.context.programmeId === programme.id && config.units.some((u) => u.id === p.context.unitId)
      );
      return subs.length === 0 ? [] : [
        {
          id: programme.id,
          name: programme.name,
          enterprise: programme.enterprise ?? null,
          ...programmeRollup(programme, subs)
        }
      ];
    }),
    investment,
    totalsShown: reportedTotals(investment.tracked),
    projectLights: lights,
    projects: projectLedger(config, projects2),
    measures: MEASURES.map((measure) => {
      const records = facts.filter(
        (f) => f.entity === "campaign" && f.id === config.id && f.kind === "event" && f.event.type === "RECORD_MEASURE" && f.event.measure === measure
      );
      const byUnit2 = {};
      let total = 0;
      for (const f of records) {
        const { unitId, count } = f.event;
        byUnit2[unitId] = (byUnit2[unitId] ?? 0) + count;
        total += count;
      }
      return { measure, total, records: records.length, byUnit: byUnit2 };
    }),
    illustrative: {
      campaign: config.illustrative === true,
      projects: [...ledger.projects.values()].filter((p) => p.illustrative).length
    },
    names: {
      units: Object.fromEntries(config.units.map((u) => [u.id, u.name])),
      projects: Object.fromEntries([...named].sort().map((id2) => [id2, ledger.projects.get(id2)?.name ?? id2]))
    },
    warnings: targetWarnings(
      config,
      [...ledger.projects.values()].map((p) => ({ unitId: p.unitId, wei: ledger.baseline.get(p.id) ?? weiKeys(p) }))
    ),
    assessment: campaign.value === "assessment" || campaign.value === "closed" ? assess(config, supervisions, ladders) : null
  };
}
function assess(config, supervisions, ladders) {
  const rows = config.units.map((unit) => {
    const rates = [];
    let monthsMissed = 0;
    for (const s of supervisions) {
      const u = s.units.find((x) => x.unitId === unit.id);
      if (u.missedTasks.length > 0) monthsMissed += 1;
      for (const t of u.tasks) if (t.rate !== null) rates.push(Math.min(1, t.rate));
    }
    const ladder = ladders.find((l) => l.unitId === unit.id);
    return {
      unitId: unit.id,
      name: unit.name,
      group: unit.group,
      score: rates.length === 0 ? null : Math.round(rates.reduce((a, b) => a + b, 0) / rates.length * 1e3) / 10,
      rankInGroup: null,
      monthsMissed,
      interviews: ladder.months.filter((m) => m.step === "deputyInterview" || m.step === "secretaryInterview").length,
      notified: ladder.months.filter((m) => m.step === "secretaryInterview").length,
      accountability: ladder.accountability.length
    };
  });
  for (const group of new Set(rows.map((r5) => r5.group))) {
    const members = rows.filter((r5) => r5.group === group && r5.score !== null).sort((a, b) => b.score - a.score || a.monthsMissed - b.monthsMissed || (a.unitId < b.unitId ? -1 : 1));
    members.forEach((r5, i) => {
      const prev = members[i - 1];
      const tied = prev !== void 0 && prev.score === r5.score && prev.monthsMissed === r5.monthsMissed;
      r5.rankInGroup = tied ? prev.rankInGroup : i + 1;
    });
  }
  return rows;
}
function projectLedger(config, projects2) {
  const order2 = new Map(config.units.map((u, i) => [u.id, i]));
  return projects2.filter((p) => order2.has(p.context.unitId)).map(({ value, context: c }) => ({
    id: c.id,
    name: c.name,
    unitId: c.unitId,
    stage: value.lifecycle,
    wei: weiKeys({ value, context: c }),
    plannedInvestment: c.plannedInvestment,
    purpose: c.purpose === "public" ? "public" : "productive",
    land: c.land,
    bond: c.bond,
    milestones: c.milestones,
    chain: c.chain
  })).sort((a, b) => order2.get(a.unitId) - order2.get(b.unitId) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// machines/vocabulary.ts
var VOCABULARY = {
  regions: REGION_LABELS,
  states: STATE_LABELS,
  events: EVENT_LABELS,
  fields: FIELD_LABELS,
  permits: PERMIT_LABELS,
  measures: MEASURE_LABELS,
  wei: WEI_LABELS,
  weiKeys: WEI_KEYS,
  stages: [...STAGES, "dropped"],
  roles: ROLE_LABELS,
  eventRoles: { project: PROJECT_EVENT_ROLES, problem: PROBLEM_EVENT_ROLES },
  tasks: TASK_LABELS,
  groups: GROUP_LABELS,
  totals: TOTAL_LABELS,
  lights: {
    green: { zh: "\u7EFF\u706F", en: "green" },
    yellow: { zh: "\u9EC4\u706F", en: "yellow" },
    red: { zh: "\u7EA2\u706F", en: "red" }
  },
  problemSources: PROBLEM_SOURCE_LABELS,
  problemStates: PROBLEM_STATE_LABELS,
  problemEvents: PROBLEM_EVENT_LABELS,
  ladder: LADDER_LABELS,
  /** The ladder's steps and states titled for each locality (县 / 县级市 / 区). */
  ladderByLocality: Object.fromEntries(
    Object.keys(LOCALITIES).map((l) => [l, { steps: ladderLabels(l), states: unitStateLabels(l) }])
  ),
  filingStates: FILING_STATE_LABELS,
  filingEvents: FILING_EVENT_LABELS,
  campaignStates: CAMPAIGN_STATE_LABELS,
  campaignEvents: CAMPAIGN_EVENT_LABELS,
  unitStates: UNIT_STATE_LABELS
};

// store/types.ts
function withSeq(record, seq) {
  const snapshot = Object.getOwnPropertyDescriptor(record, "snapshot");
  if (snapshot?.get === void 0) return { ...record, seq };
  const { entity, id: id2, version, machineVersion, tags } = record;
  return Object.defineProperty(
    { entity, id: id2, version, machineVersion, tags, seq },
    "snapshot",
    snapshot
  );
}
var StoreError = class extends Error {
  zh;
  code;
  /** The journal entry the error is about, when there is one (replay, verify). */
  seq;
  constructor(code, en, zh, seq = null) {
    super(en);
    this.name = "StoreError";
    this.code = code;
    this.zh = zh;
    this.seq = seq;
  }
};
function idempotencyIndexKey(scope) {
  return `${scope.actor}\0${scope.entity}\0${scope.id}\0${scope.key}`;
}
function entryIdempotencyKey(entry) {
  return entry.idempotencyKey === void 0 ? void 0 : idempotencyIndexKey({ actor: entry.actor, entity: entry.entity, id: entry.id, key: entry.idempotencyKey });
}

// store/file-store.ts
import { mkdir as mkdir2, open as open6, rename as rename5, rm as rm4, stat as stat3, truncate } from "node:fs/promises";
import { createGunzip as createGunzip2 } from "node:zlib";
import { join as join4 } from "node:path";
import { Low } from "lowdb";

// store/append-file.ts
var AppendFile = class {
  /**
   * @param size the file's length now (all of it durable)
   * @param hooks `onDurable` gets the mark of a batch's last chunk as soon as it is on disk;
   *   `onFailure` runs when a batch fails, before its chunks are rejected.
   */
  constructor(handle, size, hooks = {}) {
    this.handle = handle;
    this.hooks = hooks;
    this.durableBytes = size;
  }
  handle;
  hooks;
  queue = [];
  flushing = null;
  dirty = false;
  /** Batches written and fdatasync'd (for benchmarks and tests). */
  syncs = 0;
  /** Chunks made durable so far (entries, for the journal) and seconds spent in fdatasync. */
  chunks = 0;
  syncSeconds = 0;
  /** Bytes known to be on disk. */
  durableBytes;
  failure = null;
  /** Appends `chunk`, tagged with `mark` (the caller's position, reported by `onDurable`). */
  append(chunk, mark) {
    return new Promise((resolve, reject2) => {
      this.queue.push({ chunk, mark, resolve, reject: reject2 });
      this.flushing ??= this.flush();
    });
  }
  /** Resolves when nothing is waiting to be written. */
  async idle() {
    while (this.flushing !== null) await this.flushing;
  }
  async flush() {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (this.dirty) await this.handle.truncate(this.durableBytes);
        this.dirty = true;
        const buffer = Buffer.concat(batch.map((p) => p.chunk));
        let written = 0;
        while (written < buffer.length) {
          const { bytesWritten } = await this.handle.write(buffer, written, buffer.length - written);
          written += bytesWritten;
        }
        const syncing = performance.now();
        if (this.hooks.syncOnClose !== true) await this.handle.datasync();
        this.syncSeconds += (performance.now() - syncing) / 1e3;
        this.dirty = false;
        this.durableBytes += buffer.length;
        this.failure = null;
        this.syncs += 1;
        this.chunks += batch.length;
        this.hooks.onDurable?.(batch.at(-1).mark);
        for (const p of batch) p.resolve();
      } catch (err) {
        const e = err;
        this.failure = {
          code: e.code ?? "EIO",
          message: e.message,
          since: this.failure?.since ?? (this.hooks.clock?.() ?? /* @__PURE__ */ new Date()).toISOString()
        };
        const failed = [...batch, ...this.queue];
        this.queue = [];
        this.hooks.onFailure?.(this.failure);
        for (const p of failed) p.reject(err);
      }
    }
    this.flushing = null;
  }
  /**
   * After a failure, with nothing queued: cut the file back to its durable length and sync it.
   * True when that worked (the next batch will not need to), false while the disk still fails.
   */
  async recover() {
    if (this.failure === null) return true;
    if (this.flushing !== null) return false;
    try {
      if (this.dirty) await this.handle.truncate(this.durableBytes);
      await this.handle.datasync();
      this.dirty = false;
      this.failure = null;
      return true;
    } catch {
      return false;
    }
  }
  async close() {
    await this.idle();
    if (this.dirty) await this.handle.truncate(this.durableBytes).catch(() => {
    });
    if (this.hooks.syncOnClose === true) await this.handle.datasync();
    await this.handle.close();
  }
};

// store/blobs.ts
import { createHash } from "node:crypto";
import { mkdir, open as open2, readFile, rename as rename2, stat } from "node:fs/promises";
import { join } from "node:path";

// store/atomic-write.ts
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
async function fsyncDir(path) {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
async function writeFileAtomic(path, text2) {
  const temp = `${path}.tmp`;
  const file = await open(temp, "w");
  try {
    await file.writeFile(text2);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await fsyncDir(dirname(path));
}

// store/blobs.ts
function blobHash(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
function isBlobHash(hash2) {
  return typeof hash2 === "string" && /^[0-9a-f]{64}$/.test(hash2);
}
var BlobDir = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  pathOf(hash2) {
    if (!isBlobHash(hash2)) throw new StoreError("blobHash", `not a blob hash: ${hash2}`, `\u4E0D\u662F\u6709\u6548\u7684\u9644\u4EF6\u6458\u8981:${hash2}`);
    return join(this.dir, hash2.slice(0, 2), hash2);
  }
  async put(bytes) {
    const hash2 = blobHash(bytes);
    const path = this.pathOf(hash2);
    if (await this.check(hash2) === "ok") return hash2;
    const folder = join(this.dir, hash2.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    const file = await open2(temp, "w");
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename2(temp, path);
    await fsyncDir(folder);
    await fsyncDir(this.dir);
    return hash2;
  }
  async get(hash2) {
    if (!isBlobHash(hash2)) return void 0;
    try {
      return await readFile(this.pathOf(hash2));
    } catch (err) {
      if (err.code === "ENOENT") return void 0;
      throw err;
    }
  }
  async check(hash2) {
    if (!isBlobHash(hash2)) return "missing";
    try {
      await stat(this.pathOf(hash2));
    } catch {
      return "missing";
    }
    const bytes = await this.get(hash2);
    if (bytes === void 0) return "missing";
    return blobHash(bytes) === hash2 ? "ok" : "altered";
  }
};
var MemoryBlobs = class {
  blobs = /* @__PURE__ */ new Map();
  async put(bytes) {
    const hash2 = blobHash(bytes);
    this.blobs.set(hash2, Uint8Array.from(bytes));
    return hash2;
  }
  async get(hash2) {
    return this.blobs.get(hash2);
  }
  async check(hash2) {
    const bytes = this.blobs.get(hash2);
    if (bytes === void 0) return "missing";
    return blobHash(bytes) === hash2 ? "ok" : "altered";
  }
};

// store/hash.ts
import * as crypto from "node:crypto";
var GENESIS_HASH = "0".repeat(64);
var sha256 = typeof crypto.hash === "function" ? (text2) => crypto.hash("sha256", text2, "hex") : (text2) => crypto.createHash("sha256").update(text2).digest("hex");
function hashText(prevHash, text2) {
  return sha256(`${prevHash}
${text2}`);
}

// store/chain.ts
var OPTIONAL = ["event", "input", "from", "to"];
var OPTIONAL_AFTER = [
  "idempotencyKey",
  "rejection",
  "supersedes",
  "void",
  "reason",
  "link",
  "group",
  "blobs"
];
var JournalChain = class {
  lastSeq = 0;
  lastHash = GENESIS_HASH;
  /** The journal entry for `draft`, with the fields in the order they are written and hashed. */
  next(draft) {
    return this.build(draft).entry;
  }
  /**
   * The entry and its journal line (JSON + newline). The line reuses the text that was hashed
   * — `{…,"hash":"…"}` is exactly what JSON.stringify of the whole entry gives — so each entry
   * is serialised once.
   */
  nextWithLine(draft) {
    const { entry, text: text2, hash: hash2 } = this.build(draft);
    return { entry, line: `${text2.slice(0, -1)},"hash":"${hash2}"}
` };
  }
  build(draft) {
    const entry = {
      seq: this.lastSeq + 1,
      kind: draft.kind,
      entity: draft.entity,
      id: draft.id,
      at: draft.at,
      actor: draft.actor
    };
    for (const key of OPTIONAL) if (draft[key] !== void 0) entry[key] = draft[key];
    entry.version = draft.version;
    entry.machineVersion = draft.machineVersion;
    for (const key of OPTIONAL_AFTER) if (draft[key] !== void 0) entry[key] = draft[key];
    entry.recordedAt = draft.recordedAt;
    entry.prevHash = this.lastHash;
    const text2 = JSON.stringify(entry);
    const hash2 = hashText(this.lastHash, text2);
    entry.hash = hash2;
    this.lastSeq = entry.seq;
    this.lastHash = hash2;
    return { entry, text: text2, hash: hash2 };
  }
};

// store/checkpoint-file.ts
import { open as open3, readFile as readFile2, rename as rename3, rm } from "node:fs/promises";
import { dirname as dirname2 } from "node:path";
import { setImmediate as nextTick } from "node:timers/promises";

// store/ascii-json.ts
var NON_ASCII = /[\u0080-\uffff]/;
var NON_ASCII_ALL = /[\u0080-\uffff]/g;
function asciiJson(text2) {
  if (!NON_ASCII.test(text2)) return text2;
  const escaped = text2.replace(NON_ASCII_ALL, unicodeEscape);
  return Buffer.from(escaped, "latin1").toString("latin1");
}
function unicodeEscape(char) {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

// store/journal-scan.ts
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { stat as stat2 } from "node:fs/promises";

// store/journal-index.ts
var JournalIndex = class {
  /** `ends[seq]`: the byte offset just after entry `seq`'s line; `ends[0]` is where entry 1 starts. */
  ends = new Float64Array(1024);
  bySubject = /* @__PURE__ */ new Map();
  byKey = new KeyTable();
  /** Index entry `seq` (the next one), whose line ends at byte `end`. */
  add(seq, end, subject, key) {
    if (seq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, seq + 1));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[seq] = end;
    const seqs = this.bySubject.get(subject);
    if (seqs === void 0) this.bySubject.set(subject, [seq]);
    else seqs.push(seq);
    if (key !== void 0) this.byKey.add(keyHash(key), seq);
  }
  /** Forget entry `seq` — the last one indexed (a group cut short by a crash). */
  drop(seq, subject, key) {
    const seqs = this.bySubject.get(subject);
    if (seqs?.at(-1) === seq) seqs.pop();
    if (seqs?.length === 0) this.bySubject.delete(subject);
    if (key !== void 0) this.byKey.remove(keyHash(key), seq);
  }
  /** Room for `keys` more idempotency keys (before loading segments: one rehash, not one per doubling). */
  reserveKeys(keys) {
    this.byKey.reserve(keys);
  }
  /** Takes in a sealed segment's index as written (its entries follow the ones indexed so far). */
  load(segment) {
    const lastSeq = segment.firstSeq + segment.ends.length - 1;
    if (lastSeq >= this.ends.length) {
      const grown = new Float64Array(Math.max(this.ends.length * 2, lastSeq + 1024));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[segment.firstSeq - 1] = segment.base;
    this.ends.set(segment.ends, segment.firstSeq);
    const { subjects, subjectCounts, subjectSeqs } = segment;
    let at = 0;
    for (let i = 0; i < subjects.length; i++) {
      const count = subjectCounts[i];
      const mine = this.bySubject.get(subjects[i]);
      if (mine === void 0) {
        const seqs = new Array(count);
        for (let j = 0; j < count; j++) seqs[j] = subjectSeqs[at + j];
        this.bySubject.set(subjects[i], seqs);
      } else for (let j = 0; j < count; j++) mine.push(subjectSeqs[at + j]);
      at += count;
    }
    for (let i = 0; i < segment.keys.length; i++) this.byKey.add(segment.keys[i], segment.keySeqs[i]);
  }
  /** What a sealed segment's index holds of entries `firstSeq`…`lastSeq`. */
  fragment(firstSeq, lastSeq) {
    const subjects = [];
    const subjectCounts = [];
    const subjectSeqs = [];
    for (const [subject, seqs] of this.bySubject) {
      let lo = 0;
      let hi = seqs.length;
      while (lo < hi) {
        const mid = lo + hi >> 1;
        if (seqs[mid] < firstSeq) lo = mid + 1;
        else hi = mid;
      }
      let end = lo;
      while (end < seqs.length && seqs[end] <= lastSeq) subjectSeqs.push(seqs[end++]);
      if (end > lo) {
        subjects.push(subject);
        subjectCounts.push(end - lo);
      }
    }
    const { hashes: keys, seqs: keySeqs } = this.byKey.within(firstSeq, lastSeq);
    return { ends: this.ends.slice(firstSeq, lastSeq + 1), subjects, subjectCounts, subjectSeqs, keys, keySeqs };
  }
  /** The byte just after entry `seq`'s line. */
  endOf(seq) {
    return this.ends[seq];
  }
  span(seq) {
    const offset = this.ends[seq - 1];
    return { offset, length: this.ends[seq] - offset };
  }
  /** The seqs of one entity's entries (`entity id`), oldest first. */
  seqsOf(subject) {
    return this.bySubject.get(subject) ?? [];
  }
  /**
   * The seqs that may hold this idempotency key, latest first: the table keeps a 32-bit hash of
   * each key, not the key, so the caller reads each candidate and compares (a collision costs one
   * extra read; a miss, the common case, none).
   */
  seqsOfKey(key) {
    return this.byKey.candidates(keyHash(key)).sort((a, b) => b - a);
  }
};
function keyHash(key) {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h === 0 ? 1 : h;
}
var KeyTable = class {
  hashes = new Int32Array(1 << 12);
  seqs = new Float64Array(1 << 12);
  used = 0;
  add(hash2, seq) {
    if ((this.used + 1) * 2 > this.hashes.length) this.grow();
    const mask = this.hashes.length - 1;
    let i = hash2 & mask;
    while (this.hashes[i] !== 0) i = i + 1 & mask;
    this.hashes[i] = hash2;
    this.seqs[i] = seq;
    this.used += 1;
  }
  /** Marks (hash, seq) removed; the slot stays taken so later probes still pass it. */
  remove(hash2, seq) {
    const mask = this.hashes.length - 1;
    for (let i = hash2 & mask; this.hashes[i] !== 0; i = i + 1 & mask)
      if (this.hashes[i] === hash2 && this.seqs[i] === seq) this.seqs[i] = -1;
  }
  candidates(hash2) {
    const out = [];
    const mask = this.hashes.length - 1;
    for (let i = hash2 & mask; this.hashes[i] !== 0; i = i + 1 & mask)
      if (this.hashes[i] === hash2 && this.seqs[i] >= 0) out.push(this.seqs[i]);
    return out;
  }
  within(firstSeq, lastSeq) {
    const hashes = [];
    const seqs = [];
    for (let i = 0; i < this.hashes.length; i++) {
      const seq = this.seqs[i];
      if (this.hashes[i] !== 0 && seq >= firstSeq && seq <= lastSeq) {
        hashes.push(this.hashes[i]);
        seqs.push(seq);
      }
    }
    return { hashes, seqs };
  }
  /** Room for `more` keys without growing on the way (one rehash instead of one per doubling). */
  reserve(more) {
    let size = this.hashes.length;
    while ((this.used + more + 1) * 2 > size) size *= 2;
    if (size > this.hashes.length) this.grow(size);
  }
  grow(size = this.hashes.length * 2) {
    const [hashes, seqs] = [this.hashes, this.seqs];
    this.hashes = new Int32Array(size);
    this.seqs = new Float64Array(size);
    this.used = 0;
    for (let i = 0; i < hashes.length; i++) if (hashes[i] !== 0 && seqs[i] >= 0) this.add(hashes[i], seqs[i]);
  }
};

// store/journal-scan.ts
function spanKey(entity, id2) {
  return `${entity} ${id2}`;
}
async function* splitLines(input) {
  for await (const lines of lineBatches(input)) yield* lines;
}
async function* lineBatches(input) {
  let rest = null;
  for await (const chunk of input) {
    const data = rest === null ? chunk : Buffer.concat([rest, chunk]);
    const lines = [];
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      lines.push({ text: data.toString("utf8", start, nl), bytes: nl + 1 - start, terminated: true });
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (rest !== null) yield [{ text: rest.toString("utf8"), bytes: rest.length, terminated: false }];
}
function checkpointMismatch(checkpointSeq, journalSeq) {
  const short = journalSeq < checkpointSeq;
  return new StoreError(
    "checkpointAhead",
    `store.json is at journal entry ${checkpointSeq} but the journal ${short ? `ends at ${journalSeq}` : "differs there"}: the journal was truncated or replaced. Restore it from a backup`,
    `store.json \u8BB0\u5F55\u5230\u7B2C ${checkpointSeq} \u6761\u65E5\u5FD7,\u4F46\u65E5\u5FD7${short ? `\u53EA\u5230\u7B2C ${journalSeq} \u6761` : "\u5728\u8BE5\u5904\u5185\u5BB9\u4E0D\u7B26"}:\u65E5\u5FD7\u88AB\u622A\u65AD\u6216\u66FF\u6362,\u8BF7\u4ECE\u5907\u4EFD\u6062\u590D`
  );
}
function corrupt(path, line, seq, why, whyZh) {
  return new StoreError(
    "journalCorrupt",
    `journal ${path}, line ${line}: ${why}. Nothing was changed; run "gongjian verify" and restore the journal from a backup`,
    `\u65E5\u5FD7 ${path} \u7B2C ${line} \u884C:${whyZh}\u3002\u672A\u4F5C\u4EFB\u4F55\u4FEE\u6539;\u8BF7\u8FD0\u884C "gongjian verify" \u5E76\u4ECE\u5907\u4EFD\u6062\u590D\u65E5\u5FD7`,
    seq
  );
}
async function scanJournal(source, since, onTail = () => {
}, index = new JournalIndex()) {
  const { path } = source;
  const from = source.from ?? { seq: 0, hash: GENESIS_HASH, offset: 0 };
  const sinceSeq = since.seq;
  const bad = (line, why, whyZh) => corrupt(path, line, from.seq + line, why, whyZh);
  const scan = {
    lastSeq: from.seq,
    lastHash: from.hash,
    validBytes: from.offset,
    fileBytes: from.offset,
    tornTail: null,
    index,
    hashAtSinceSeq: sinceSeq === from.seq ? from.hash : null
  };
  try {
    scan.fileBytes = from.offset + (source.rawBytes ?? (await stat2(path)).size);
  } catch (err) {
    if (err.code === "ENOENT") return scan;
    throw err;
  }
  const bytes = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = source.gzip === true ? bytes.pipe(createGunzip()) : bytes;
  bytes.on("error", (err) => input.destroy(err));
  let offset = from.offset;
  let terminated = true;
  let lineNo = 0;
  let pending = null;
  const open7 = { group: null };
  const accept = (text2, no, at, length) => {
    let entry;
    try {
      entry = JSON.parse(text2);
    } catch {
      throw bad(no, "not valid JSON", "\u4E0D\u662F\u6709\u6548\u7684 JSON");
    }
    if (entry.seq !== scan.lastSeq + 1)
      throw bad(no, `seq ${entry.seq} follows ${scan.lastSeq}`, `\u5E8F\u53F7 ${entry.seq} \u63A5\u5728 ${scan.lastSeq} \u4E4B\u540E`);
    if (entry.prevHash !== scan.lastHash)
      throw bad(no, "prevHash does not match the previous entry", "prevHash \u4E0E\u4E0A\u4E00\u6761\u4E0D\u7B26");
    const [nth, size] = Array.isArray(entry.group) ? entry.group : [1, 1];
    if (nth === 1 && size > 1)
      open7.group = {
        lineNo: no,
        lastSeq: scan.lastSeq,
        lastHash: scan.lastHash,
        validBytes: scan.validBytes,
        indexed: [],
        hashAtSinceSeq: scan.hashAtSinceSeq,
        held: []
      };
    if (source.indexed === true) {
      if (index.endOf(entry.seq) !== at + length)
        throw bad(no, "the segment's index places this entry elsewhere", "\u5206\u6BB5\u7D22\u5F15\u6240\u8BB0\u4F4D\u7F6E\u4E0E\u6B64\u6761\u4E0D\u7B26");
    } else {
      const subject = spanKey(entry.entity, entry.id);
      const scoped = entryIdempotencyKey(entry);
      index.add(entry.seq, at + length, subject, scoped);
      open7.group?.indexed.push({ seq: entry.seq, subject, key: scoped });
    }
    if (entry.seq === sinceSeq) {
      scan.hashAtSinceSeq = entry.hash;
      if (entry.hash !== since.hash) throw checkpointMismatch(since.seq, entry.seq);
    }
    scan.lastSeq = entry.seq;
    scan.lastHash = entry.hash;
    scan.validBytes = at + length;
    const group = open7.group;
    if (nth === size) open7.group = null;
    if (entry.seq <= sinceSeq) return;
    if (group !== null) group.held.push(entry);
    const ready = group === null ? [entry] : nth === size ? group.held : [];
    for (let i = 0; i < ready.length; i++) {
      const replayed = onTail(ready[i]);
      if (replayed !== void 0) return replayed.then(() => replayRest(ready, i + 1));
    }
  };
  const replayRest = async (ready, from2) => {
    for (let i = from2; i < ready.length; i++) await onTail(ready[i]);
  };
  for await (const lines of lineBatches(input)) {
    for (const line of lines) {
      lineNo += 1;
      if (pending !== null) {
        const accepted = accept(pending.text, pending.lineNo, pending.offset, pending.bytes);
        if (accepted !== void 0) await accepted;
      }
      pending = { text: line.text, lineNo, offset, bytes: line.bytes };
      offset += line.bytes;
      terminated = line.terminated;
    }
  }
  if (pending !== null) {
    let parses = true;
    try {
      JSON.parse(pending.text);
    } catch {
      parses = false;
    }
    if (terminated && parses) await accept(pending.text, pending.lineNo, pending.offset, pending.bytes);
    else if (source.sealed === true)
      throw bad(pending.lineNo, "a sealed segment ends mid-line", "\u5DF2\u5C01\u5B58\u7684\u5206\u6BB5\u5728\u884C\u4E2D\u622A\u65AD");
    else if (!terminated || pending.text.includes("\0") || pending.text.trim() === "") {
      scan.tornTail = `line ${pending.lineNo} (${scan.fileBytes - pending.offset} bytes, ${terminated ? "unreadable" : "no line end"})`;
    } else {
      throw bad(pending.lineNo, "not valid JSON", "\u4E0D\u662F\u6709\u6548\u7684 JSON");
    }
  }
  const partial = open7.group;
  if (partial !== null && source.sealed === true)
    throw bad(partial.lineNo, "a sealed segment ends inside a group", "\u5DF2\u5C01\u5B58\u7684\u5206\u6BB5\u5728\u4E00\u7EC4\u6761\u76EE\u4E2D\u95F4\u622A\u65AD");
  if (partial !== null) {
    for (const { seq, subject, key } of partial.indexed.reverse()) index.drop(seq, subject, key);
    scan.tornTail = `lines ${partial.lineNo}\u2013${lineNo} (${scan.fileBytes - partial.validBytes} bytes, a group of entries cut short)`;
    scan.lastSeq = partial.lastSeq;
    scan.lastHash = partial.lastHash;
    scan.validBytes = partial.validBytes;
    scan.hashAtSinceSeq = partial.hashAtSinceSeq;
  }
  return scan;
}

// store/checkpoint-file.ts
var RECORDS_PER_SLICE = 500;
var CheckpointFile = class {
  constructor(path) {
    this.path = path;
  }
  path;
  async read() {
    let bytes;
    try {
      bytes = await readFile2(this.path);
    } catch (err) {
      if (err.code === "ENOENT") return null;
      throw err;
    }
    const data = readByLine(bytes) ?? JSON.parse(bytes.toString("utf8"));
    if (Array.isArray(data.records)) for (const record of data.records) record.snapshot = recordText(data, record);
    return data;
  }
  async write(data) {
    const temp = `${this.path}.tmp`;
    try {
      await this.writeTemp(temp, data);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await rename3(temp, this.path);
    await fsyncDir(dirname2(this.path));
  }
  async writeTemp(temp, data) {
    const file = await open3(temp, "w");
    try {
      const head = JSON.stringify({ format: data.format, lastSeq: data.lastSeq, lastHash: data.lastHash });
      let chunk = `${head.slice(0, -1)},"records":[`;
      for (let i = 0; i < data.records.length; i++) {
        const { snapshot, ...rest } = data.records[i];
        const text2 = JSON.stringify(snapshot);
        chunk += `${i === 0 ? "\n" : ",\n"}${JSON.stringify(rest).slice(0, -1)},"snapshot":${text2}}`;
        if ((i + 1) % RECORDS_PER_SLICE === 0) {
          await file.write(chunk);
          chunk = "";
          await nextTick();
        }
      }
      await file.write(`${chunk}
]}
`);
      await file.sync();
    } finally {
      await file.close();
    }
  }
};
async function openCheckpoint(path) {
  let handle;
  try {
    handle = await open3(path, "r");
  } catch (err) {
    if (err.code === "ENOENT") return null;
    throw err;
  }
  try {
    const start = Buffer.alloc(256);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    const end = start.subarray(0, bytesRead).indexOf(10);
    const head = end < 0 ? null : LINE_HEAD.exec(start.toString("utf8", 0, end));
    return new CheckpointReader(
      handle,
      head === null ? null : { format: Number(head[1]), lastSeq: Number(head[2]), lastHash: head[3] }
    );
  } catch (err) {
    await handle.close();
    throw err;
  }
}
var CheckpointReader = class {
  constructor(handle, head) {
    this.handle = handle;
    this.head = head;
  }
  handle;
  head;
  /** Every record, one line at a time (a checkpoint laid out otherwise is parsed whole). */
  async *records() {
    if (this.head === null) {
      const { buffer } = await this.handle.read({ position: 0, buffer: Buffer.alloc((await this.handle.stat()).size) });
      const data = JSON.parse(buffer.toString("utf8"));
      for (const record of data.records) {
        record.snapshot = recordText(data, record);
        yield record;
      }
      return;
    }
    let first = true;
    let closed = false;
    const bytes = this.handle.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false });
    for await (const { text: text2 } of splitLines(bytes)) {
      if (first) {
        first = false;
        continue;
      }
      if (text2 === "]}") {
        closed = true;
        continue;
      }
      if (text2 === "") continue;
      const record = JSON.parse(text2.endsWith(",") ? text2.slice(0, -1) : text2);
      record.snapshot = recordText(this.head, record);
      yield record;
    }
    if (!closed) throw new SyntaxError("checkpoint cut short");
  }
  close() {
    return this.handle.close();
  }
};
function recordText(checkpoint, record) {
  return asciiJson(checkpoint.format === 1 ? JSON.stringify(record.snapshot) : record.snapshot);
}
var LINE_HEAD = /^\{"format":(\d+),"lastSeq":(\d+),"lastHash":"([0-9a-f]{64})","records":\[$/;
function readByLine(bytes) {
  let end = bytes.indexOf(10);
  const first = LINE_HEAD.exec(bytes.toString("utf8", 0, end < 0 ? bytes.length : end));
  if (first === null) return null;
  const records = [];
  for (let start = end + 1; start < bytes.length; start = end + 1) {
    end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    let line = bytes.toString("utf8", start, end);
    if (line === "]}" || line === "") continue;
    if (line.endsWith(",")) line = line.slice(0, -1);
    records.push(JSON.parse(line));
  }
  if (!bytes.toString("utf8", Math.max(0, bytes.length - 4)).includes("]}"))
    throw new SyntaxError("checkpoint cut short");
  return { format: Number(first[1]), lastSeq: Number(first[2]), lastHash: first[3], records };
}

// store/segments.ts
import { open as open4, readdir, readFile as readFile3, rename as rename4, rm as rm2 } from "node:fs/promises";
import { join as join2 } from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
var gzipAsync = promisify(gzip);
var gunzipAsync = promisify(gunzip);
var SEGMENT_DIR = "journal";
var BLOCK_BYTES = 64 * 1024;
var ARRAYS = [
  ["ends", Float64Array],
  ["subjectCounts", Uint32Array],
  ["subjectSeqs", Float64Array],
  ["keys", Int32Array],
  ["keySeqs", Float64Array]
];
var pad8 = (n) => n + 7 & ~7;
function paddedLine(text2) {
  const bytes = Buffer.byteLength(text2);
  return Buffer.from(`${text2}${" ".repeat(pad8(bytes + 1) - bytes - 1)}
`);
}
function encodeSegmentIndex(index) {
  const { ends, subjects, subjectCounts, subjectSeqs, keys, keySeqs, ...head } = index;
  const lengths = {
    ends: ends.length,
    subjectCounts: subjectCounts.length,
    subjectSeqs: subjectSeqs.length,
    keys: keys.length,
    keySeqs: keySeqs.length
  };
  const parts = [
    paddedLine(JSON.stringify({ format: 4, ...head, lengths })),
    paddedLine(JSON.stringify(subjects))
  ];
  for (const [field2, Type] of ARRAYS) {
    const array = Type.from(index[field2]);
    const bytes = Buffer.alloc(pad8(array.byteLength));
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(bytes);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}
function decodeSegmentIndex(file) {
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const headEnd = bytes.indexOf(10);
  const subjectsEnd = bytes.indexOf(10, headEnd + 1);
  const head = JSON.parse(bytes.toString("utf8", 0, headEnd));
  if (head.format !== 4) throw new Error(`segment index format ${head.format} unknown`);
  const subjects = JSON.parse(bytes.toString("utf8", headEnd + 1, subjectsEnd));
  let at = subjectsEnd + 1;
  const arrays = {};
  for (const [field2, Type] of ARRAYS) {
    const length = head.lengths[field2];
    if (at + length * Type.BYTES_PER_ELEMENT > bytes.length) throw new Error("segment index cut short");
    arrays[field2] = new Type(bytes.buffer, bytes.byteOffset + at, length);
    at += pad8(length * Type.BYTES_PER_ELEMENT);
  }
  const { format: _format, lengths: _lengths, ...rest } = head;
  return { ...rest, subjects, ...arrays };
}
function fromJson(index) {
  const { format: _format, subjectSeqs, ...rest } = index;
  return { ...rest, subjectCounts: subjectSeqs.map((seqs) => seqs.length), subjectSeqs: subjectSeqs.flat() };
}
var name = (firstSeq) => String(firstSeq).padStart(12, "0");
function rawSegmentPath(dir, firstSeq) {
  return join2(dir, SEGMENT_DIR, `${name(firstSeq)}.jsonl`);
}
async function findSegments(dir, readOnly) {
  const folder = join2(dir, SEGMENT_DIR);
  const names = new Set(await readdir(folder).catch(() => []));
  const firsts = [...names].map((n) => /^(\d{12})\.jsonl$/.exec(n) ?? /^(\d{12})\.idx(\.json)?$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1]));
  const found = [];
  for (const first of [...new Set(firsts)].sort((a, b) => a - b)) {
    const raw = `${name(first)}.jsonl`;
    const gz = `${raw}.gz`;
    const idx = `${name(first)}.idx`;
    const idxJson = `${idx}.json`;
    if ((names.has(idx) || names.has(idxJson)) && names.has(gz)) {
      const index = await readIndex(join2(folder, names.has(idx) ? idx : idxJson));
      found.push({ firstSeq: first, path: join2(folder, gz), index });
      if (names.has(raw) && !readOnly) await rm2(join2(folder, raw), { force: true });
    } else if (names.has(raw)) {
      if (names.has(gz) && !readOnly) await rm2(join2(folder, gz), { force: true });
      found.push({ firstSeq: first, path: join2(folder, raw), index: null });
    } else {
      throw new StoreError(
        "segmentMissing",
        `journal segment ${name(first)} has an index but no data: restore ${SEGMENT_DIR}/ from a backup`,
        `\u65E5\u5FD7\u5206\u6BB5 ${name(first)} \u53EA\u6709\u7D22\u5F15\u6CA1\u6709\u6570\u636E:\u8BF7\u4ECE\u5907\u4EFD\u6062\u590D ${SEGMENT_DIR}/`
      );
    }
  }
  return found;
}
async function readIndex(path) {
  const bytes = await readFile3(path);
  try {
    return path.endsWith(".json") ? fromJson(JSON.parse(bytes.toString("utf8"))) : decodeSegmentIndex(bytes);
  } catch (err) {
    throw new StoreError(
      "segmentIndexCorrupt",
      `journal segment index ${path} is unreadable (${err.message}): restore ${SEGMENT_DIR}/ from a backup`,
      `\u65E5\u5FD7\u5206\u6BB5\u7D22\u5F15 ${path} \u65E0\u6CD5\u8BFB\u53D6:\u8BF7\u4ECE\u5907\u4EFD\u6062\u590D ${SEGMENT_DIR}/`
    );
  }
}
async function compressSegment(segment, index) {
  const gzPath = `${segment.path}.gz`;
  const temp = `${gzPath}.tmp`;
  const source = await open4(segment.path, "r");
  const target = await open4(temp, "w");
  const blocks = [];
  try {
    const buffer = Buffer.alloc(BLOCK_BYTES * 2);
    let rawStart = 0;
    let fileStart = 0;
    let carried = 0;
    while (rawStart < segment.rawBytes) {
      const want = Math.min(buffer.length - carried, segment.rawBytes - rawStart - carried);
      const { bytesRead } = await source.read(buffer, carried, want, rawStart + carried);
      const filled = carried + bytesRead;
      let end = filled;
      if (rawStart + filled < segment.rawBytes) {
        const cut = buffer.subarray(0, Math.min(filled, BLOCK_BYTES)).lastIndexOf(10);
        end = cut >= 0 ? cut + 1 : buffer.indexOf(10) + 1;
        if (end === 0) end = filled;
      }
      const packed = await gzipAsync(buffer.subarray(0, end));
      await target.write(packed, 0, packed.length, fileStart);
      blocks.push(rawStart, fileStart, packed.length);
      fileStart += packed.length;
      rawStart += end;
      buffer.copy(buffer, 0, end, filled);
      carried = filled - end;
    }
    await target.sync();
  } finally {
    await source.close();
    await target.close();
  }
  await rename4(temp, gzPath);
  const file = {
    firstSeq: segment.firstSeq,
    lastSeq: segment.lastSeq,
    lastHash: segment.lastHash,
    base: segment.base,
    rawBytes: segment.rawBytes,
    blocks,
    ...index
  };
  await writeFileAtomic(join2(segment.path, "..", `${name(segment.firstSeq)}.idx`), encodeSegmentIndex(file));
  await rm2(segment.path);
  await fsyncDir(join2(segment.path, ".."));
  return { path: gzPath, blocks };
}
var SegmentReader = class {
  constructor(segments) {
    this.segments = segments;
  }
  segments;
  handles = /* @__PURE__ */ new Map();
  inflated = /* @__PURE__ */ new Map();
  async read(offset, length, active) {
    const segment = this.segmentAt(offset);
    if (segment === void 0 || segment.blocks === null) {
      const path = segment?.path ?? active.path;
      const local2 = offset - (segment?.base ?? active.base);
      const buffer = Buffer.alloc(length);
      await (await this.handle(path)).read(buffer, 0, length, local2);
      return buffer;
    }
    const local = offset - segment.base;
    const parts = [];
    let got = 0;
    for (let block = this.blockAt(segment.blocks, local); got < length; block++) {
      const data = await this.inflate(segment, block);
      const from = Math.max(0, local + got - segment.blocks[block * 3]);
      const part = data.subarray(from, from + length - got);
      if (part.length === 0) break;
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
  /** Stops reading a file (a raw segment now compressed); reads in progress finish first. */
  retire(path) {
    const handle = this.handles.get(path);
    this.handles.delete(path);
    if (handle !== void 0) setTimeout(() => void handle.then((h) => h.close()).catch(() => {
    }), 1e4).unref();
  }
  /** The handle reading the active file moves with it when it is sealed (same file, new name). */
  rename(from, to) {
    const handle = this.handles.get(from);
    this.handles.delete(from);
    if (handle !== void 0) this.handles.set(to, handle);
  }
  async close() {
    for (const handle of this.handles.values()) await handle.then((h) => h.close()).catch(() => {
    });
    this.handles.clear();
    this.inflated.clear();
  }
  segmentAt(offset) {
    const all = this.segments();
    let lo = 0;
    let hi = all.length - 1;
    while (lo <= hi) {
      const mid = lo + hi >> 1;
      const s = all[mid];
      if (offset < s.base) hi = mid - 1;
      else if (offset >= s.base + s.rawBytes) lo = mid + 1;
      else return s;
    }
    return void 0;
  }
  blockAt(blocks, local) {
    let lo = 0;
    let hi = blocks.length / 3 - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (blocks[mid * 3] <= local) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  async inflate(segment, block) {
    const key = `${segment.path}#${block}`;
    const cached = this.inflated.get(key);
    if (cached !== void 0) return cached;
    const [fileStart, fileLength] = [segment.blocks[block * 3 + 1], segment.blocks[block * 3 + 2]];
    const packed = Buffer.alloc(fileLength);
    await (await this.handle(segment.path)).read(packed, 0, fileLength, fileStart);
    const data = await gunzipAsync(packed);
    this.inflated.set(key, data);
    if (this.inflated.size > 16) this.inflated.delete(this.inflated.keys().next().value);
    return data;
  }
  handle(path) {
    let handle = this.handles.get(path);
    if (handle === void 0) {
      handle = open4(path, "r");
      this.handles.set(path, handle);
      handle.catch(() => this.handles.delete(path));
    }
    return handle;
  }
};

// store/lock.ts
import { hostname } from "node:os";
import { open as open5, readFile as readFile4, rm as rm3 } from "node:fs/promises";
import { join as join3 } from "node:path";
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
var heldHere = /* @__PURE__ */ new Set();
var DataDirLock = class {
  path;
  held = false;
  constructor(dir) {
    this.path = join3(dir, "LOCK");
  }
  async acquire() {
    if (heldHere.has(this.path)) {
      throw new StoreError(
        "locked",
        `data directory ${this.path.slice(0, -5)} is already open in this process (${process.pid})`,
        `\u6570\u636E\u76EE\u5F55 ${this.path.slice(0, -5)} \u5DF2\u5728\u672C\u8FDB\u7A0B(${process.pid})\u4E2D\u6253\u5F00`
      );
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open5(this.path, "wx");
        const holder2 = { pid: process.pid, host: hostname(), since: (/* @__PURE__ */ new Date()).toISOString() };
        await handle.writeFile(JSON.stringify(holder2));
        await handle.sync();
        await handle.close();
        this.held = true;
        heldHere.add(this.path);
        return;
      } catch (err) {
        if (err.code !== "EEXIST") throw err;
      }
      const holder = await this.readHolder();
      if (holder !== null && holder.host === hostname() && holder.pid !== process.pid && alive(holder.pid)) {
        throw new StoreError(
          "locked",
          `data directory ${this.path.slice(0, -5)} is in use by process ${holder.pid} (since ${holder.since}); stop it first`,
          `\u6570\u636E\u76EE\u5F55 ${this.path.slice(0, -5)} \u6B63\u88AB\u8FDB\u7A0B ${holder.pid} \u4F7F\u7528(\u81EA ${holder.since} \u8D77),\u8BF7\u5148\u505C\u6B62\u8BE5\u8FDB\u7A0B`
        );
      }
      if (holder !== null && holder.host !== hostname()) {
        throw new StoreError(
          "locked",
          `data directory is locked by process ${holder.pid} on host ${holder.host}; remove ${this.path} only if that process is gone`,
          `\u6570\u636E\u76EE\u5F55\u88AB\u4E3B\u673A ${holder.host} \u4E0A\u7684\u8FDB\u7A0B ${holder.pid} \u9501\u5B9A;\u786E\u8BA4\u8BE5\u8FDB\u7A0B\u5DF2\u505C\u6B62\u540E\u518D\u5220\u9664 ${this.path}`
        );
      }
      await rm3(this.path, { force: true });
    }
    throw new StoreError("locked", `could not lock ${this.path}`, `\u65E0\u6CD5\u9501\u5B9A ${this.path}`);
  }
  async readHolder() {
    try {
      return JSON.parse(await readFile4(this.path, "utf8"));
    } catch {
      return null;
    }
  }
  async release() {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    await rm3(this.path, { force: true });
  }
};

// store/record-table.ts
var RecordTable = class {
  byKind = /* @__PURE__ */ new Map();
  get(entity, id2) {
    return this.byKind.get(entity)?.get(id2);
  }
  /** Records are replaced, never mutated, so a checkpoint can hold on to a consistent set. */
  set(record) {
    let table = this.byKind.get(record.entity);
    if (table === void 0) {
      table = /* @__PURE__ */ new Map();
      this.byKind.set(record.entity, table);
    }
    table.set(record.id, record);
  }
  list(entity, filter = {}) {
    const out = [];
    for (const record of this.byKind.get(entity)?.values() ?? []) {
      const tags = record.tags;
      if (filter.unitId !== void 0 && tags.unitId !== filter.unitId) continue;
      if (filter.stage !== void 0 && tags.stage !== filter.stage) continue;
      if (filter.wei !== void 0 && !(tags.wei ?? []).includes(filter.wei)) continue;
      if (filter.campaignId !== void 0 && tags.campaignId !== filter.campaignId) continue;
      if (filter.programmeId !== void 0 && tags.programmeId !== filter.programmeId) continue;
      out.push(record);
    }
    return out;
  }
  all() {
    return [...this.byKind.values()].flatMap((table) => [...table.values()]);
  }
  get size() {
    let n = 0;
    for (const table of this.byKind.values()) n += table.size;
    return n;
  }
};

// store/file-store.ts
var EMPTY = { format: 2, lastSeq: 0, lastHash: GENESIS_HASH, records: [] };
var FileStore = class {
  constructor(dir, options = {}) {
    this.options = options;
    this.dir = dir;
    this.journalPath = join4(dir, "journal.jsonl");
    this.blobs = new BlobDir(join4(dir, "blobs"));
    this.lock = new DataDirLock(dir);
    this.db = new Low(new CheckpointFile(join4(dir, "store.json")), EMPTY);
    this.checkpointEvery = options.checkpointEvery ?? 5e3;
    this.segmentBytes = options.segmentBytes ?? 64 * 2 ** 20;
    this.warn = options.onWarning ?? (() => {
    });
  }
  options;
  dir;
  journalPath;
  lock;
  db;
  records = new RecordTable();
  checkpointReader = null;
  chain = new JournalChain();
  blobs;
  index = new JournalIndex();
  file = null;
  /** The last entry known to be on disk (the journal's end once every write has finished). */
  durableSeq = 0;
  durableHash = GENESIS_HASH;
  lastProbe = 0;
  reader = new SegmentReader(() => this.segments);
  /** Sealed segments, oldest first; the active file (`journal.jsonl`) follows the last. */
  segments = [];
  /** Where the active file starts in the whole journal, and the seq of its first entry. */
  activeBase = 0;
  activeFirstSeq = 1;
  rolling = null;
  compressing = null;
  closing = false;
  segmentBytes;
  fileBytes = 0;
  appliedSeq = 0;
  appliedHash = GENESIS_HASH;
  checkpointedSeq = 0;
  checkpointAt = null;
  checkpointing = null;
  timer = null;
  checkpointEvery;
  warn;
  /** The torn last line found on open (a crash mid-append, never acknowledged), if any. */
  tornTail = null;
  /** The journal entry the checkpoint read on open (or last written) covers. */
  get checkpointSeq() {
    return this.checkpointedSeq;
  }
  /** Journal batches fdatasync'd so far. */
  get syncs() {
    return this.file?.syncs ?? 0;
  }
  async open(replay = () => {
  }) {
    if (this.options.readOnly === true) return this.load(replay);
    await mkdir2(this.dir, { recursive: true });
    await this.lock.acquire();
    try {
      return await this.load(replay);
    } catch (err) {
      await this.lock.release();
      throw err;
    }
  }
  async load(replay) {
    try {
      if (this.options.keepRecords === false) {
        if (this.options.readOnly !== true) throw new Error("keepRecords: false needs readOnly");
        this.checkpointReader = await openCheckpoint(join4(this.dir, "store.json"));
        const head = this.checkpointReader?.head;
        if (head != null) this.db.data = { ...head, records: [] };
        else await this.db.read();
      } else await this.db.read();
    } catch (err) {
      if (this.options.readOnly === true)
        throw new StoreError(
          "checkpointUnreadable",
          `store.json is unreadable: ${err.message}`,
          `store.json \u65E0\u6CD5\u8BFB\u53D6:${err.message}`
        );
      const aside = join4(this.dir, `store.json.corrupt-${Date.now()}`);
      await rename5(join4(this.dir, "store.json"), aside);
      this.warn(
        `checkpoint store.json unreadable (${err.message}); moved to ${aside}, rebuilding from the journal`
      );
      this.db.data = EMPTY;
    }
    const checkpoint = this.db.data;
    if (checkpoint.format !== 1 && checkpoint.format !== 2) {
      throw new StoreError(
        "checkpointFormat",
        `store.json has unknown format ${String(checkpoint.format)}`,
        `store.json \u683C\u5F0F\u672A\u77E5:${String(checkpoint.format)}`
      );
    }
    if (this.options.keepRecords !== false) for (const record of checkpoint.records) this.records.set(record);
    this.index = new JournalIndex();
    const since = { seq: checkpoint.lastSeq, hash: checkpoint.lastHash };
    let at = { seq: 0, hash: GENESIS_HASH, offset: 0 };
    let hashAtSince = since.seq === 0 ? GENESIS_HASH : null;
    this.segments = [];
    const sealed = await findSegments(this.dir, this.options.readOnly === true);
    this.index.reserveKeys(sealed.reduce((n, found) => n + (found.index?.keys.length ?? 0), 0));
    for (const found of sealed) {
      if (found.firstSeq !== at.seq + 1)
        throw new StoreError(
          "segmentGap",
          `journal segments: entry ${at.seq + 1} expected, the next segment starts at ${found.firstSeq}. Restore journal/ from a backup`,
          `\u65E5\u5FD7\u5206\u6BB5\u4E0D\u8FDE\u7EED:\u5E94\u4ECE\u7B2C ${at.seq + 1} \u6761\u5F00\u59CB,\u4E0B\u4E00\u5206\u6BB5\u5374\u4ECE\u7B2C ${found.firstSeq} \u6761\u5F00\u59CB,\u8BF7\u4ECE\u5907\u4EFD\u6062\u590D journal/`
        );
      const idx = found.index;
      const linked = idx !== null && idx.prevHash === at.hash && idx.base === at.offset;
      if (idx !== null && linked) {
        this.index.load(idx);
        const { firstSeq, lastSeq, lastHash, base, rawBytes: rawBytes2, blocks } = idx;
        this.segments.push({ firstSeq, lastSeq, lastHash, base, rawBytes: rawBytes2, blocks, path: found.path });
        if (idx.lastSeq <= since.seq) {
          if (idx.lastSeq === since.seq) hashAtSince = idx.lastHash;
          at = { seq: idx.lastSeq, hash: idx.lastHash, offset: idx.base + idx.rawBytes };
          continue;
        }
        const source2 = { path: found.path, from: at, sealed: true, gzip: true, rawBytes: rawBytes2, indexed: true };
        const part2 = await scanJournal(source2, since, replay, this.index);
        if (part2.hashAtSinceSeq !== null) hashAtSince = part2.hashAtSinceSeq;
        if (part2.lastSeq !== lastSeq || part2.lastHash !== lastHash || part2.validBytes !== base + rawBytes2)
          throw new StoreError(
            "journalCorrupt",
            `journal segment ${found.path} does not end where its index says (entry ${lastSeq}). Nothing was changed; run "gongjian verify" and restore journal/ from a backup`,
            `\u65E5\u5FD7\u5206\u6BB5 ${found.path} \u7684\u7ED3\u5C3E\u4E0E\u5176\u7D22\u5F15\u4E0D\u7B26(\u5E94\u4E3A\u7B2C ${lastSeq} \u6761)\u3002\u672A\u4F5C\u4EFB\u4F55\u4FEE\u6539;\u8BF7\u8FD0\u884C "gongjian verify" \u5E76\u4ECE\u5907\u4EFD\u6062\u590D journal/`,
            part2.lastSeq
          );
        at = { seq: lastSeq, hash: lastHash, offset: base + rawBytes2 };
        continue;
      }
      const source = { path: found.path, from: at, sealed: true, gzip: idx !== null, rawBytes: idx?.rawBytes };
      const part = await scanJournal(source, since, replay, this.index);
      if (part.hashAtSinceSeq !== null) hashAtSince = part.hashAtSinceSeq;
      const rawBytes = part.validBytes - at.offset;
      this.segments.push({
        firstSeq: found.firstSeq,
        lastSeq: part.lastSeq,
        lastHash: part.lastHash,
        base: at.offset,
        rawBytes,
        path: found.path,
        blocks: idx?.blocks ?? null
      });
      at = { seq: part.lastSeq, hash: part.lastHash, offset: part.validBytes };
    }
    const scan = await scanJournal({ path: this.journalPath, from: at }, since, replay, this.index);
    if (scan.hashAtSinceSeq !== null) hashAtSince = scan.hashAtSinceSeq;
    this.tornTail = scan.tornTail;
    if (scan.tornTail !== null && this.options.readOnly !== true) {
      await truncate(this.journalPath, scan.validBytes - at.offset);
      this.warn(`journal: dropped a torn last ${scan.tornTail}, left by a crash mid-append (never acknowledged)`);
    }
    if (checkpoint.lastSeq > scan.lastSeq || hashAtSince !== checkpoint.lastHash)
      throw checkpointMismatch(checkpoint.lastSeq, scan.lastSeq);
    this.activeBase = at.offset;
    this.activeFirstSeq = at.seq + 1;
    this.chain.lastSeq = scan.lastSeq;
    this.chain.lastHash = scan.lastHash;
    this.appliedSeq = scan.lastSeq;
    this.appliedHash = scan.lastHash;
    this.checkpointedSeq = checkpoint.lastSeq;
    this.checkpointAt = (/* @__PURE__ */ new Date()).toISOString();
    this.fileBytes = scan.validBytes;
    if (this.options.readOnly === true) return;
    this.durableSeq = scan.lastSeq;
    this.durableHash = scan.lastHash;
    this.file = await this.openActive(scan.validBytes - at.offset);
    const interval = this.options.checkpointIntervalMs ?? 6e4;
    this.timer = setInterval(() => this.checkpointInBackground(), interval);
    this.timer.unref();
    this.compressSealed();
  }
  /** The active journal file opened for appending, `size` bytes long (all of them durable). */
  async openActive(size) {
    return new AppendFile(await open6(this.journalPath, "a"), size, {
      syncOnClose: this.options.sync === "close",
      onDurable: (mark) => {
        this.durableSeq = mark.seq;
        this.durableHash = mark.hash;
      },
      // Every entry not yet on disk is being refused: the next one takes the first free seq
      // and the first free byte again, so the chain stays unbroken.
      onFailure: () => {
        this.chain.lastSeq = this.durableSeq;
        this.chain.lastHash = this.durableHash;
        this.fileBytes = this.activeBase + this.file.durableBytes;
      }
    });
  }
  /**
   * Seals the active journal file as a segment — one rename while commits wait — and starts an
   * empty one. Done before a checkpoint, once the active file has grown past `segmentBytes`, so
   * the checkpoint then covers every sealed entry and a start reads only the active file.
   */
  async roll() {
    const file = this.file;
    if (file === null) return;
    let done;
    this.rolling = new Promise((resolve) => done = resolve);
    try {
      await file.idle();
      if (file.failure !== null || this.durableSeq < this.activeFirstSeq || await segmentsHeld(this.dir)) return;
      await file.close();
      this.file = null;
      const path = rawSegmentPath(this.dir, this.activeFirstSeq);
      await mkdir2(join4(this.dir, SEGMENT_DIR), { recursive: true });
      await rename5(this.journalPath, path);
      this.reader.rename(this.journalPath, path);
      this.segments.push({
        firstSeq: this.activeFirstSeq,
        lastSeq: this.durableSeq,
        lastHash: this.durableHash,
        base: this.activeBase,
        rawBytes: file.durableBytes,
        path,
        blocks: null
      });
      this.activeBase += file.durableBytes;
      this.activeFirstSeq = this.durableSeq + 1;
      this.file = await this.openActive(0);
      await fsyncDir(join4(this.dir, SEGMENT_DIR));
      await fsyncDir(this.dir);
    } finally {
      if (this.file === null) {
        const sealed = this.segments.at(-1)?.lastSeq === this.durableSeq && this.activeFirstSeq > this.durableSeq;
        this.file = await this.openActive(sealed ? 0 : file.durableBytes).catch(() => null);
      }
      this.rolling = null;
      done();
    }
  }
  /** Compresses sealed raw segments one after another, off the commit path. */
  compressSealed() {
    if (this.compressing !== null || this.options.readOnly === true) return;
    const next = this.segments.find((segment) => segment.blocks === null);
    if (next === void 0) return;
    this.compressing = (async () => {
      const fragment = this.index.fragment(next.firstSeq, next.lastSeq);
      const before = this.segments.find((segment) => segment.lastSeq === next.firstSeq - 1);
      const prevHash = before?.lastHash ?? GENESIS_HASH;
      const { path, blocks } = await compressSegment(next, { prevHash, ...fragment });
      const raw = next.path;
      next.path = path;
      next.blocks = blocks;
      this.reader.retire(raw);
    })().catch(
      (err) => this.warn(`compressing a journal segment failed (it stays uncompressed): ${err.message}`)
    ).finally(() => {
      this.compressing = null;
      if (!this.closing) this.compressSealed();
    });
  }
  get(entity, id2) {
    return this.records.get(entity, id2);
  }
  list(entity, filter) {
    return this.records.list(entity, filter);
  }
  async commit(draft, record) {
    return (await this.commitLines([{ draft, record }]))[0];
  }
  async commitAll(items) {
    return this.commitLines(
      items.map(({ draft, record }, i) => ({ draft: { ...draft, group: [i + 1, items.length] }, record }))
    );
  }
  /** Appends the entries' lines as one chunk (one write, one fsync), then makes them visible. */
  async commitLines(items) {
    while (this.rolling !== null) await this.rolling;
    const file = this.file;
    if (file === null) {
      if (this.options.readOnly === true)
        throw new StoreError("readOnly", "the store was opened read-only", "\u5B58\u50A8\u4EE5\u53EA\u8BFB\u65B9\u5F0F\u6253\u5F00");
      throw new StoreError("closed", "the store is not open", "\u5B58\u50A8\u672A\u6253\u5F00");
    }
    const made = items.map(({ draft, record }) => {
      const { entry, line: text2 } = this.chain.nextWithLine(draft);
      const line = Buffer.from(text2, "utf8");
      const span = { offset: this.fileBytes, length: line.length };
      this.fileBytes += line.length;
      return { entry, line, span, record };
    });
    const last = made.at(-1).entry;
    try {
      const chunk = made.length === 1 ? made[0].line : Buffer.concat(made.map((m) => m.line));
      await file.append(chunk, { seq: last.seq, hash: last.hash });
    } catch (err) {
      throw journalWriteError(err);
    }
    for (const { entry, span, record } of made) {
      this.index.add(entry.seq, span.offset + span.length, spanKey(entry.entity, entry.id), entryIdempotencyKey(entry));
      if (record !== null) this.records.set(withSeq(record, entry.seq));
    }
    this.appliedSeq = last.seq;
    this.appliedHash = last.hash;
    if (this.appliedSeq - this.checkpointedSeq >= Math.max(this.checkpointEvery, this.records.size))
      this.checkpointInBackground();
    return made.map((m) => m.entry);
  }
  async putBlob(bytes) {
    if (this.options.readOnly === true)
      throw new StoreError("readOnly", "the store was opened read-only", "\u5B58\u50A8\u4EE5\u53EA\u8BFB\u65B9\u5F0F\u6253\u5F00");
    return this.blobs.put(bytes);
  }
  getBlob(hash2) {
    return this.blobs.get(hash2);
  }
  checkBlob(hash2) {
    return this.blobs.check(hash2);
  }
  position() {
    return this.appliedSeq;
  }
  stats() {
    return {
      kind: "file",
      location: this.dir,
      position: this.appliedSeq,
      syncs: this.file?.syncs ?? 0,
      commits: this.file?.chunks ?? 0,
      syncSeconds: this.file?.syncSeconds ?? 0,
      journalBytes: (this.file?.durableBytes ?? this.fileBytes - this.activeBase) + this.segments.reduce(
        (n, s) => n + (s.blocks === null ? s.rawBytes : (s.blocks.at(-2) ?? 0) + (s.blocks.at(-1) ?? 0)),
        0
      ),
      segments: this.segments.length,
      checkpointSeq: this.checkpointedSeq,
      checkpointAt: this.checkpointAt
    };
  }
  restore(record) {
    this.records.set(record);
  }
  history(entity, id2) {
    return this.readSpans(this.index.seqsOf(spanKey(entity, id2)).map((seq) => this.index.span(seq)));
  }
  async readSpans(spans) {
    const active = { path: this.journalPath, base: this.activeBase };
    const out = [];
    for (const { offset, length } of spans) {
      const line = await this.reader.read(offset, length, active);
      out.push(JSON.parse(line.toString("utf8")));
    }
    return out;
  }
  async findByIdempotencyKey(scope) {
    const key = idempotencyIndexKey(scope);
    for (const seq of this.index.seqsOfKey(key)) {
      const [entry] = await this.readSpans([this.index.span(seq)]);
      if (entry !== void 0 && entryIdempotencyKey(entry) === key) return entry;
    }
    return void 0;
  }
  async *entries(options = {}) {
    const after = options.after ?? 0;
    for await (const { entry } of this.lines(after)) if (entry.seq > after) yield entry;
  }
  /**
   * Every journal entry in order with its line as written (without the newline): across the
   * sealed segments, then the active file up to what is durable (a line being appended right
   * now is not yet part of the journal). `verify` hashes the bytes as they are on disk.
   */
  async *lines(after = 0) {
    const sources = this.segments.filter((s) => s.lastSeq > after).map((s) => ({ path: s.path, gzip: s.blocks !== null }));
    const end = this.file?.durableBytes ?? this.fileBytes - this.activeBase;
    const lineEnd = after > 0 && after <= this.appliedSeq ? this.index.span(after) : { offset: 0, length: 0 };
    const start = Math.max(0, lineEnd.offset + lineEnd.length - this.activeBase);
    if (end > 0 && start < end) sources.push({ path: this.journalPath, gzip: false, start, end: end - 1 });
    for (const source of sources) {
      let handle = await open6(source.path, "r").catch((err) => {
        if (err.code !== "ENOENT" || source.gzip || source.path === this.journalPath) throw err;
        return null;
      });
      if (handle === null) {
        handle = await open6(`${source.path}.gz`, "r");
        source.gzip = true;
      }
      const bytes = handle.createReadStream({ highWaterMark: 1 << 20, start: source.start, end: source.end });
      const input = source.gzip ? bytes.pipe(createGunzip2()) : bytes;
      bytes.on("error", (err) => input.destroy(err));
      try {
        for await (const { text: text2 } of splitLines(input))
          if (text2 !== "") yield { entry: JSON.parse(text2), text: text2 };
      } finally {
        bytes.destroy();
        await handle.close().catch(() => {
        });
      }
    }
  }
  async health() {
    const file = this.file;
    if (file === null || file.failure === null) return { status: "ok" };
    if (Date.now() - this.lastProbe >= 1e3) {
      this.lastProbe = Date.now();
      if (await probeWrite(this.dir) && await file.recover()) return { status: "ok" };
    }
    return file.failure === null ? { status: "ok" } : { status: "degraded", journal: { ...file.failure } };
  }
  /** Resolves once no checkpoint is being written (one started in the background included). */
  async settled() {
    while (this.checkpointing !== null || this.compressing !== null) {
      await this.checkpointing?.catch(() => {
      });
      await this.compressing;
    }
  }
  checkpointInBackground() {
    if (this.appliedSeq === this.checkpointedSeq || this.checkpointing !== null) return;
    this.checkpoint().catch(
      (err) => this.warn(`checkpoint failed (the journal still has everything): ${err.message}`)
    );
  }
  async checkpoint() {
    if (this.options.readOnly === true) return;
    while (this.checkpointing !== null) await this.checkpointing;
    if (this.appliedSeq === this.checkpointedSeq) return;
    this.checkpointing = (async () => {
      if (!this.closing && (this.file?.durableBytes ?? 0) >= this.segmentBytes) await this.roll();
      const data = {
        format: 2,
        lastSeq: this.appliedSeq,
        lastHash: this.appliedHash,
        records: this.records.all()
      };
      this.db.data = data;
      await this.db.write();
      this.checkpointedSeq = data.lastSeq;
      this.checkpointAt = (/* @__PURE__ */ new Date()).toISOString();
      this.compressSealed();
    })();
    try {
      await this.checkpointing;
    } finally {
      this.checkpointing = null;
    }
  }
  /**
   * The checkpoint's records, one at a time, as it was when the store opened (with
   * `keepRecords: false`; otherwise the records are the store's, see `list`).
   */
  async *checkpointRecords() {
    if (this.options.keepRecords !== false) throw new Error("checkpointRecords() needs keepRecords: false");
    if (this.checkpointReader === null) return;
    if (this.checkpointReader.head === null) yield* this.db.data.records;
    else yield* this.checkpointReader.records();
  }
  async close(options = {}) {
    if (this.options.readOnly === true) {
      await this.checkpointReader?.close();
      this.checkpointReader = null;
      return this.reader.close();
    }
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.file !== null) {
      await this.file.idle();
      if (options.checkpoint !== false) await this.checkpoint();
      this.closing = true;
      await this.compressing;
      await this.file.close();
      this.file = null;
    }
    await this.reader.close();
    await this.lock.release();
  }
};
async function segmentsHeld(dir) {
  const hold = await stat3(join4(dir, SEGMENT_DIR, "HOLD")).catch(() => null);
  return hold !== null && Date.now() - hold.mtimeMs < 36e5;
}
function journalWriteError(err) {
  const code = err.code ?? "EIO";
  const why = code === "ENOSPC" || code === "EDQUOT" ? { zh: "\u78C1\u76D8\u7A7A\u95F4\u4E0D\u8DB3", en: "the disk is full" } : code === "EFBIG" ? { zh: "\u6587\u4EF6\u8D85\u8FC7\u5927\u5C0F\u4E0A\u9650", en: "the file size limit is reached" } : { zh: "\u78C1\u76D8\u8BFB\u5199\u51FA\u9519", en: "the disk failed" };
  return new StoreError(
    "journalWrite",
    `the journal cannot be written (${code}: ${why.en}); nothing was saved`,
    `\u65E5\u5FD7\u65E0\u6CD5\u5199\u5165(${code}:${why.zh}),\u672C\u6B21\u672A\u4FDD\u5B58\u4EFB\u4F55\u5185\u5BB9`
  );
}
async function probeWrite(dir) {
  const path = join4(dir, `.write-probe-${process.pid}`);
  try {
    const handle = await open6(path, "w");
    try {
      await handle.write(Buffer.alloc(16 * 1024));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await rm4(path, { force: true });
  }
}

// store/memory-store.ts
var MemoryStore = class {
  records = new RecordTable();
  journal = [];
  byKey = /* @__PURE__ */ new Map();
  /** Each entity's entries (`entity id`), oldest first: a history in O(its entries). */
  byEntity = /* @__PURE__ */ new Map();
  chain = new JournalChain();
  blobs = new MemoryBlobs();
  async open() {
  }
  get(entity, id2) {
    return this.records.get(entity, id2);
  }
  list(entity, filter) {
    return this.records.list(entity, filter);
  }
  async commit(draft, record) {
    const entry = this.chain.next(draft);
    this.journal.push(entry);
    const own = this.byEntity.get(`${entry.entity} ${entry.id}`);
    if (own === void 0) this.byEntity.set(`${entry.entity} ${entry.id}`, [entry]);
    else own.push(entry);
    const scoped = entryIdempotencyKey(entry);
    if (scoped !== void 0) this.byKey.set(scoped, entry);
    if (record !== null) this.records.set(withSeq(record, entry.seq));
    return entry;
  }
  async commitAll(items) {
    const entries2 = [];
    for (const [i, { draft, record }] of items.entries())
      entries2.push(await this.commit({ ...draft, group: [i + 1, items.length] }, record));
    return entries2;
  }
  putBlob(bytes) {
    return this.blobs.put(bytes);
  }
  getBlob(hash2) {
    return this.blobs.get(hash2);
  }
  checkBlob(hash2) {
    return this.blobs.check(hash2);
  }
  position() {
    return this.journal.length;
  }
  stats() {
    const n = this.journal.length;
    return {
      kind: "memory",
      location: "memory",
      position: n,
      syncs: n,
      commits: n,
      syncSeconds: 0,
      journalBytes: 0,
      segments: 0,
      checkpointSeq: 0,
      checkpointAt: null
    };
  }
  restore(record) {
    this.records.set(record);
  }
  async history(entity, id2) {
    return [...this.byEntity.get(`${entity} ${id2}`) ?? []];
  }
  async findByIdempotencyKey(scope) {
    return this.byKey.get(idempotencyIndexKey(scope));
  }
  async *entries(options = {}) {
    const after = options.after ?? 0;
    for (let i = Math.max(0, after); i < this.journal.length; i++) yield this.journal[i];
  }
  async health() {
    return { status: "ok" };
  }
  async checkpoint() {
  }
  async close() {
  }
};

// store/pg-store.ts
import pg from "pg";

// engine/keyed-queue.ts
var KeyedQueue = class {
  tails = /* @__PURE__ */ new Map();
  run(key, task) {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => void 0);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
};

// engine/kinds/campaign.ts
import { z as z2 } from "zod";

// engine/kinds/kind.ts
import { createActor } from "xstate";
function defineKind(kind) {
  return kind;
}
function persisted(snapshot) {
  return snapshot;
}
function restorable(snapshot) {
  return snapshot;
}
function startedWith(machine, input) {
  return persisted(createActor(machine, { input }).getPersistedSnapshot());
}
function isKnownStateValue(node, value) {
  const children = Object.entries(node.states);
  if (children.length === 0)
    return value === void 0 || typeof value === "object" && value !== null && Object.keys(value).length === 0;
  if (node.type === "parallel") {
    if (typeof value !== "object" || value === null) return false;
    const entries3 = Object.entries(value);
    return entries3.length === children.length && entries3.every(([key, sub]) => Object.hasOwn(node.states, key) && isKnownStateValue(node.states[key], sub));
  }
  if (typeof value === "string")
    return Object.hasOwn(node.states, value) && Object.keys(node.states[value].states).length === 0;
  if (typeof value !== "object" || value === null) return false;
  const entries2 = Object.entries(value);
  return entries2.length === 1 && Object.hasOwn(node.states, entries2[0][0]) && isKnownStateValue(node.states[entries2[0][0]], entries2[0][1]);
}

// engine/kinds/schema-parts.ts
import { z } from "zod";
var safeId = z.string().refine(isSafeId, { message: `${SAFE_ID_RULE.en} / ${SAFE_ID_RULE.zh}` }).meta({ pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" });
var isoDate = z.string().refine(isIsoDate, { message: "expected a calendar date YYYY-MM-DD" }).meta({ example: "2022-09-01", format: "date" });
var isoMonth = z.string().refine(isIsoMonth, { message: "expected a month YYYY-MM" }).meta({ example: "2022-09", pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "a month, YYYY-MM" });
function bounded(kind, description) {
  const { max, unit } = QUANTITY_BOUNDS[kind];
  return z.number().max(max, { error: `at most ${max} ${unit.en} / \u4E0D\u8D85\u8FC7 ${max} ${unit.zh}` }).meta({ description: `${description}, at most ${max}` });
}
var money = bounded("money", "\u4E07\u5143 (10,000 yuan)");
var mu = bounded("land", "\u4EA9 (mu)");
var houses = bounded("houses", "houses (\u680B)").int();
function dated(type, shape) {
  return z.strictObject({ type: z.literal(type), at: isoDate, ...shape });
}

// engine/kinds/campaign.ts
var CampaignInputSchema = z2.strictObject({
  id: safeId,
  name: z2.string().min(1).max(200),
  start: isoDate,
  days: z2.number().int().min(1).max(366),
  units: z2.array(z2.strictObject({ id: safeId, name: z2.string().min(1).max(200), group: z2.enum(UNIT_GROUPS) })).min(1).max(1e3),
  targets: z2.record(z2.string(), z2.record(z2.string(), z2.partialRecord(z2.enum(TASKS), z2.number().min(0)))).meta({
    description: "unit \u2192 month (YYYY-MM) \u2192 task \u2192 target (bounded per task, checked by the campaign machine)"
  }),
  landTaskMu: mu.positive().optional(),
  bottomN: z2.number().int().min(1).optional(),
  illustrative: z2.boolean().optional().meta({ description: "invented data: every report says \u793A\u4F8B\u6570\u636E" }),
  locality: z2.enum(["county", "city", "district"]).optional().meta({
    description: "\u53BF (default), \u53BF\u7EA7\u5E02 or \u533A: titles in the ladder and the \u901A\u62A5 (\u5E38\u52A1\u526F\u53BF\u957F / \u526F\u5E02\u957F / \u526F\u533A\u957F)"
  }),
  minRanked: z2.number().int().min(1).optional(),
  scope: z2.enum(["all", "frozen"]).optional().meta({ description: "count tasks score every project leaving the category (all, default) or the day-0 list" }),
  bottomOnMissedTask: z2.boolean().optional().meta({ description: "the deputy\u2019s interview needs the bottom rank on a task the unit missed (default true)" }),
  lights: z2.strictObject({
    basis: z2.enum(["plan", "calendar"]).meta({
      description: "plan (default): cumulative actual vs cumulative target to date; calendar: vs elapsed days"
    }),
    yellowWithinPoints: z2.number(),
    unregisteredYellowMonths: z2.number(),
    unregisteredRedMonths: z2.number(),
    unstartedRedMonths: z2.number()
  }).partial().optional(),
  review: z2.strictObject({
    events: z2.partialRecord(
      z2.enum(Object.keys(PROJECT_EVENT_ROLES)),
      z2.array(z2.enum(REVIEWER_ROLES)).min(1).max(REVIEWER_ROLES.length)
    ).meta({
      description: "project event type \u2192 the roles that review it (\u5BA1\u6838); types not listed count at once"
    }),
    workingDays: z2.number().int().min(1).max(60).optional().meta({ description: "review deadline (default 3)" }),
    countIn: z2.enum(["filed", "approved"]).optional().meta({ description: "an approved filing counts in the month it is dated (filed, default) or approved" })
  }).optional().meta({ description: "filings reviewed before they count (\u586B\u62A5 \u2192 \u5BA1\u6838)" }),
  programmes: z2.enum(["once", "each"]).optional().meta({
    description: "a programme (\u9879\u76EE\u7FA4) counts once among \u2265 1 \u4EBF\u5143 signings and starts (once, default) or per sub-project"
  })
}).meta({ id: "CampaignInput" });
var CampaignEventSchema = z2.discriminatedUnion("type", [
  dated("START", {}),
  dated("SUPERVISE", { month: isoMonth }),
  dated("ASSESS", {}),
  dated("CLOSE", {}),
  dated("RECORD_MEASURE", {
    measure: z2.enum(MEASURES).meta({ description: "\u5916\u51FA\u62DB\u5546, \u4F01\u4E1A\u529E\u4E8B\u4E0D\u6C42\u4EBA or \u65BD\u5DE5\u73AF\u5883\u4FDD\u969C" }),
    unitId: safeId,
    count: z2.number().int().min(1).max(1e4),
    note: z2.string().min(1).max(500)
  })
]).meta({ id: "CampaignEvent", example: { type: "SUPERVISE", month: "2022-08", at: "2022-08-31" } });
var onlyHq = (staff) => mayRunCampaign(staff) ? null : reject(
  "role",
  `\u53EA\u6709${CAMPAIGN_ROLES.map((r5) => ROLE_LABELS[r5].zh).join("\u3001")}\u53EF\u4EE5\u7EC4\u7EC7\u653B\u575A\u884C\u52A8`,
  "only the campaign office (hq) runs campaigns"
);
var campaignKind = defineKind({
  kind: "campaign",
  label: { zh: "\u653B\u575A\u884C\u52A8", en: "campaign" },
  machine: campaignMachine,
  version: CAMPAIGN_MACHINE_VERSION,
  inputSchema: CampaignInputSchema,
  eventSchema: CampaignEventSchema,
  labels: { events: CAMPAIGN_EVENT_LABELS, states: CAMPAIGN_STATE_LABELS },
  rules: ruleChecks(campaignRules),
  roles: {
    START: CAMPAIGN_ROLES,
    SUPERVISE: CAMPAIGN_ROLES,
    ASSESS: CAMPAIGN_ROLES,
    CLOSE: CAMPAIGN_ROLES,
    RECORD_MEASURE: ["hq", "unit"]
  },
  validate: (input) => validateCampaignInput(input),
  initial: (input) => startedWith(campaignMachine, input),
  // A campaign may be registered ahead of its start: no creation date to check.
  createdOn: () => null,
  explain: (view, event, clock) => campaignExplainer.explain(view, event, clock),
  options: (view) => campaignExplainer.options(view),
  tags: (view) => ({ stage: view.value }),
  createForbidden: onlyHq,
  // A unit records its own measures (招商, 办事, 施工环境); everything else is the office's.
  forbidden: (staff, type, _campaign, event) => type === "RECORD_MEASURE" && staff.role === "unit" ? event !== void 0 && event.unitId !== staff.unitId ? reject(
    "unit",
    `\u53EA\u80FD\u767B\u8BB0\u672C\u5355\u4F4D(${staff.unitId ?? "\u672A\u6307\u5B9A"})\u7684\u4E3E\u63AA`,
    "unit staff record their own unit\u2019s measures"
  ) : null : onlyHq(staff),
  migrations: {},
  inputMigrations: {}
});

// engine/kinds/filing.ts
import { z as z4 } from "zod";

// engine/kinds/project.ts
import { z as z3 } from "zod";
function projectForbidden(staff, type, unitId, event) {
  return PROJECT_EVENT_TYPES.includes(type) ? projectEventForbidden(staff, type, unitId) ?? (type === "GRANT_PERMIT" && event !== void 0 ? permitIssuerForbidden(staff, event.permit) : null) : reject("unknownEvent", `\u672A\u77E5\u4E8B\u4EF6\u300C${type}\u300D`, `unknown event "${type}"`);
}
var ProjectInputSchema = z3.strictObject({
  id: safeId,
  name: z3.string().min(1).max(200),
  unitId: safeId,
  plannedInvestment: money,
  stage: z3.enum(STAGES).optional(),
  statsRegistered: z3.boolean().optional(),
  permits: z3.array(z3.enum(PERMIT_KEYS)).optional(),
  land: z3.strictObject({ requiredMu: mu, houses, clearedMu: mu.optional(), demolished: houses.optional() }).optional(),
  bond: z3.strictObject({ allocated: money, disbursed: money.optional() }).optional(),
  outputTarget: money.optional(),
  targetMonths: z3.number().int().min(1).max(12).optional().meta({ description: "\u8FBE\u4EA7 after this many consecutive months at or above outputTarget (default 1)" }),
  purpose: z3.enum(["productive", "public"]).optional().meta({ description: "public works (\u516C\u76CA\u6027) end at completion: never \u7AE3\u5DE5\u672A\u6295\u4EA7 or \u6295\u4EA7\u672A\u8FBE\u4EA7" }),
  enterprise: z3.string().max(200).optional(),
  flags: z3.strictObject({
    xiangshang: z3.boolean().optional(),
    illustrative: z3.boolean().optional().meta({ description: "invented data: reports mark it \u793A\u4F8B\u6570\u636E" })
  }).optional(),
  chain: z3.strictObject({ countyLeader: z3.string(), unitHead: z3.string(), deputy: z3.string(), handler: z3.string() }).optional(),
  contractAmount: money.optional(),
  asOf: isoDate.optional(),
  since: isoDate.optional(),
  annualPlan: z3.record(z3.string().regex(/^\d{4}$/), money).optional().meta({ description: "\u5E74\u5EA6\u8BA1\u5212\u6295\u8D44: year (YYYY) \u2192 \u4E07\u5143" }),
  programmeId: safeId.optional().meta({ description: "the programme (\u9879\u76EE\u7FA4) this is a sub-project of" }),
  capacity: z3.strictObject({ value: z3.number().min(0).max(1e9), unit: z3.string().min(1).max(20) }).optional().meta({ description: 'size in the programme\u2019s unit, e.g. { value: 5.8, unit: "MW" }' })
}).meta({
  id: "ProjectInput",
  example: {
    id: "jingcai-2",
    name: "\u6676\u5F69\u7535\u5B50\u4E8C\u671F",
    unitId: "economic-zone",
    plannedInvestment: 3e4,
    stage: "signed",
    land: { requiredMu: 120, houses: 4 },
    asOf: "2022-08-01"
  }
});
var ProjectEventSchema = z3.discriminatedUnion("type", [
  dated("SIGN", { contractAmount: money }),
  dated("GRANT_PERMIT", { permit: z3.enum(PERMIT_KEYS) }),
  dated("GREEN_CHANNEL", {}),
  dated("REPORT_CLEARANCE", { mu: mu.meta({ description: "\u4EA9 cleared since the last report" }), houses }),
  dated("START_CONSTRUCTION", {}),
  dated("REGISTER_STATS", {}),
  dated("COMPLETE", {}),
  dated("START_PRODUCTION", {}),
  dated("REPORT_OUTPUT", { month: isoMonth, output: money }),
  dated("SET_OUTPUT_TARGET", {
    outputTarget: money.meta({ description: "\u8FBE\u4EA7\u76EE\u6807: designed monthly output, \u4E07\u5143" })
  }),
  dated("ALLOCATE_BOND", { amount: money }),
  dated("DISBURSE_BOND", { amount: money }),
  dated("ENTER_HELP_POOL", { expert: z3.string().max(100) }),
  dated("DROP", { reason: z3.string().max(500) }),
  dated("REPORT_INVESTMENT", {
    month: isoMonth,
    amount: money.meta({ description: "\u5B8C\u6210\u6295\u8D44 of the month, \u4E07\u5143" })
  }),
  dated("REPORT_PROGRESS", {
    month: isoMonth,
    percent: z3.number().min(0).max(100).meta({ description: "\u5F62\u8C61\u8FDB\u5EA6, percent of the works done" }),
    note: z3.string().max(500)
  }),
  dated("REVISE_PLAN", {
    plannedInvestment: money.meta({ description: "the revised \u8BA1\u5212\u603B\u6295\u8D44, \u4E07\u5143" }),
    reason: z3.string().max(500)
  })
]).meta({ id: "ProjectEvent", example: { type: "SIGN", contractAmount: 12e3, at: "2022-09-01" } });
function futureFields(input, fields, clock) {
  const i = input;
  return fields.flatMap((field2) => {
    const future = notInFuture(i?.[field2], clock, { zh: field2, en: field2 });
    return future === null ? [] : [{ field: field2, zh: future.zh, en: future.en }];
  });
}
var projectKind = defineKind({
  kind: "project",
  label: { zh: "\u9879\u76EE", en: "project" },
  machine: projectMachine,
  version: PROJECT_MACHINE_VERSION,
  inputSchema: ProjectInputSchema,
  eventSchema: ProjectEventSchema,
  labels: { events: EVENT_LABELS, states: STATE_LABELS, regions: REGION_LABELS },
  moreLabels: { permits: PERMIT_LABELS, wei: WEI_LABELS },
  rules: ruleChecks(projectRules),
  roles: PROJECT_EVENT_ROLES,
  validate: (input, clock) => [...validateProjectInput(input), ...futureFields(input, ["asOf", "since"], clock)],
  initial: (input) => persisted(projectMachine.getPersistedSnapshot(initialProjectSnapshot(input))),
  createdOn: (input) => input.asOf ?? null,
  explain: (view, event, clock) => explainRejection(view, event, clock),
  options: (view) => eventOptions(view),
  tags: (view) => ({
    unitId: view.context.unitId,
    stage: view.value.lifecycle,
    wei: weiKeys(view),
    name: view.context.name,
    amount: view.context.plannedInvestment,
    ...view.context.programmeId === void 0 ? {} : { programmeId: view.context.programmeId },
    ...view.context.enterprise === null ? {} : { enterprise: view.context.enterprise }
  }),
  tagNames: ["unitId", "stage", "wei", "name", "amount"],
  createForbidden: (staff) => PROJECT_CREATE_ROLES.includes(staff.role) ? null : reject(
    "role",
    `\u53EA\u6709${PROJECT_CREATE_ROLES.map((r5) => ROLE_LABELS[r5].zh).join("\u3001")}\u53EF\u4EE5\u767B\u8BB0\u9879\u76EE`,
    "only the campaign office (hq) registers projects"
  ),
  forbidden: (staff, type, project, event) => projectForbidden(staff, type, project.context.unitId, event),
  migrations: {
    // v0 (pre-release) had no `stage` mirror and no green channel in context.
    0: (s) => ({
      ...s,
      context: {
        ...s.context,
        stage: s.value.lifecycle,
        greenChannel: s.context.greenChannel ?? null
      }
    })
  },
  inputMigrations: {}
});

// engine/kinds/filing.ts
var AttachmentSchema = z4.strictObject({
  hash: z4.string().regex(/^[0-9a-f]{64}$/).meta({ description: "sha256 of the content, as `POST /api/blobs` answered" }),
  name: z4.string().min(1).max(200),
  type: z4.enum(ATTACHMENT_TYPES),
  size: z4.number().int().min(1).max(ATTACHMENT_LIMITS.bytes)
}).meta({ id: "Attachment" });
var attachments = z4.array(AttachmentSchema).max(ATTACHMENT_LIMITS.perFiling);
var FilingInputSchema = z4.strictObject({
  id: safeId,
  projectId: safeId,
  unitId: safeId,
  event: ProjectEventSchema,
  reviewers: z4.array(z4.enum(REVIEWER_ROLES)).min(1),
  reviewDays: z4.number().int().min(1).max(60),
  campaignId: safeId,
  submittedOn: isoDate,
  filedBy: z4.string().min(1).max(100),
  attachments
}).meta({ id: "FilingInput" });
var FilingEventSchema = z4.discriminatedUnion("type", [
  dated("APPROVE", { note: z4.string().max(1e3).optional() }),
  dated("RETURN", { reason: z4.string().max(1e3) }),
  dated("RESUBMIT", { event: ProjectEventSchema, attachments: attachments.optional() }),
  dated("WITHDRAW", {})
]).meta({ id: "FilingEvent", example: { type: "RETURN", reason: "\u7F3A\u5F00\u5DE5\u7167\u7247", at: "2022-08-03" } });
function validate(input) {
  const f = typeof input === "object" && input !== null ? input : {};
  const problems = [];
  if (!isIsoDate(f.submittedOn))
    problems.push({ field: "submittedOn", zh: "\u62A5\u9001\u65E5\u671F\u987B\u4E3A YYYY-MM-DD", en: "submittedOn must be YYYY-MM-DD" });
  const event = f.event;
  if (!isIsoDate(event?.at))
    problems.push({ field: "event.at", zh: "\u4E8B\u9879\u65E5\u671F\u987B\u4E3A YYYY-MM-DD", en: "event.at must be YYYY-MM-DD" });
  if (!Array.isArray(f.reviewers) || f.reviewers.length === 0)
    problems.push({ field: "reviewers", zh: "\u987B\u6307\u5B9A\u5BA1\u6838\u4EBA", en: "reviewers are required" });
  return problems;
}
var filingKind = defineKind({
  kind: "filing",
  label: { zh: "\u586B\u62A5", en: "filing" },
  machine: filingMachine,
  version: FILING_MACHINE_VERSION,
  inputSchema: FilingInputSchema,
  eventSchema: FilingEventSchema,
  labels: { events: FILING_EVENT_LABELS, states: FILING_STATE_LABELS },
  rules: ruleChecks(filingRules),
  roles: {
    APPROVE: REVIEWER_ROLES,
    RETURN: REVIEWER_ROLES,
    RESUBMIT: ["unit", "hq"],
    WITHDRAW: ["unit", "hq"]
  },
  validate: (input) => validate(input),
  initial: (input) => startedWith(filingMachine, input),
  createdOn: (input) => input.submittedOn,
  explain: (view, event, clock) => filingExplainer.explain(view, event, clock),
  options: (view) => filingExplainer.options(view),
  tags: (view) => ({
    unitId: view.context.unitId,
    stage: view.value,
    campaignId: view.context.campaignId,
    name: view.context.projectId
  }),
  tagNames: ["unitId", "stage", "campaignId", "name"],
  createForbidden: (staff) => staff.role === "viewer" || staff.role === "leader" ? reject("role", "\u53EA\u8BFB\u89D2\u8272\u4E0E\u9886\u5BFC\u4E0D\u80FD\u586B\u62A5", "viewers and leaders file nothing") : null,
  forbidden: (staff, type, filing) => type === "APPROVE" || type === "RETURN" ? filingReviewForbidden(staff, filing.context) : type === "RESUBMIT" || type === "WITHDRAW" ? filingFilerForbidden(staff, filing.context) : reject("unknownEvent", `\u672A\u77E5\u4E8B\u4EF6\u300C${type}\u300D`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {}
});

// engine/kinds/programme.ts
import { z as z5 } from "zod";
var capacity = z5.strictObject({ value: z5.number().min(0).max(1e9), unit: z5.string().min(1).max(20) }).meta({ description: 'e.g. { value: 300, unit: "MW" }' });
var ProgrammeInputSchema = z5.strictObject({
  id: safeId,
  name: z5.string().min(1).max(200),
  enterprise: z5.string().max(200).optional(),
  plannedInvestment: money.meta({ description: "declared \u8BA1\u5212\u603B\u6295\u8D44 of the whole programme, \u4E07\u5143" }),
  capacity: capacity.optional(),
  landMu: mu.optional().meta({ description: "declared land, \u4EA9" }),
  unitIds: z5.array(safeId).max(200).optional(),
  registeredOn: isoDate
}).meta({
  id: "ProgrammeInput",
  example: {
    id: "pv-300",
    name: "300MW \u5206\u5E03\u5F0F\u5149\u4F0F\u53D1\u7535\u9879\u76EE",
    enterprise: "\u67D0\u65B0\u80FD\u6E90\u516C\u53F8",
    plannedInvestment: 135e3,
    capacity: { value: 300, unit: "MW" },
    landMu: 3600,
    unitIds: ["yantang", "hujv", "mijiang"],
    registeredOn: "2022-06-20"
  }
});
var ProgrammeEventSchema = z5.discriminatedUnion("type", [
  z5.strictObject({
    type: z5.literal("REVISE"),
    at: isoDate,
    reason: z5.string().max(500),
    plannedInvestment: money.optional(),
    capacity: capacity.optional(),
    landMu: mu.optional(),
    unitIds: z5.array(safeId).max(200).optional()
  })
]).meta({
  id: "ProgrammeEvent",
  example: { type: "REVISE", plannedInvestment: 14e4, reason: "\u65B0\u589E\u4E8C\u671F", at: "2022-08-01" }
});
function validate2(input) {
  const p = typeof input === "object" && input !== null ? input : {};
  const problems = [];
  for (const field2 of ["id", "name"])
    if (typeof p[field2] !== "string" || p[field2].trim() === "")
      problems.push({ field: field2, zh: `${field2} \u4E0D\u80FD\u4E3A\u7A7A`, en: `${field2} is required` });
  if (typeof p.plannedInvestment !== "number" || p.plannedInvestment < 0)
    problems.push({ field: "plannedInvestment", zh: "\u8BA1\u5212\u603B\u6295\u8D44\u987B\u4E3A\u975E\u8D1F\u6570", en: "plannedInvestment must be \u2265 0" });
  if (!isIsoDate(p.registeredOn))
    problems.push({ field: "registeredOn", zh: "\u767B\u8BB0\u65E5\u671F\u987B\u4E3A YYYY-MM-DD", en: "registeredOn must be YYYY-MM-DD" });
  return problems;
}
var onlyHq2 = (role) => role === "hq" ? null : reject("role", "\u53EA\u6709\u4E09\u9AD8\u529E\u53EF\u4EE5\u767B\u8BB0\u6216\u8C03\u6574\u9879\u76EE\u7FA4", "only the campaign office (hq) registers programmes");
var programmeKind = defineKind({
  kind: "programme",
  label: { zh: "\u9879\u76EE\u7FA4", en: "programme" },
  machine: programmeMachine,
  version: PROGRAMME_MACHINE_VERSION,
  inputSchema: ProgrammeInputSchema,
  eventSchema: ProgrammeEventSchema,
  labels: { events: PROGRAMME_EVENT_LABELS, states: PROGRAMME_STATE_LABELS },
  rules: ruleChecks(programmeRules),
  roles: { REVISE: ["hq"] },
  validate: (input, clock) => [...validate2(input), ...futureFields(input, ["registeredOn"], clock)],
  initial: (input) => startedWith(programmeMachine, input),
  createdOn: (input) => input.registeredOn,
  explain: (view, event, clock) => programmeExplainer.explain(view, event, clock),
  options: (view) => programmeExplainer.options(view),
  tags: (view) => ({ stage: view.value, name: view.context.name, amount: view.context.plannedInvestment }),
  tagNames: ["stage", "name", "amount"],
  createForbidden: (staff) => onlyHq2(staff.role),
  forbidden: (staff, type) => type === "REVISE" ? onlyHq2(staff.role) : reject("unknownEvent", `\u672A\u77E5\u4E8B\u4EF6\u300C${type}\u300D`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {}
});

// engine/kinds/ladder.ts
import { z as z6 } from "zod";
var LadderInputSchema = z6.strictObject({
  id: z6.string().min(1),
  campaignId: z6.string().min(1),
  unitId: z6.string().min(1),
  name: z6.string().min(1),
  group: z6.enum(UNIT_GROUPS)
}).meta({ id: "LadderInput" });
var LadderEventSchema = z6.discriminatedUnion("type", [
  dated("MONTH_ASSESSED", {
    month: isoMonth,
    missedTasks: z6.array(z6.enum(TASKS)),
    bottomTasks: z6.array(z6.enum(TASKS))
  }),
  dated("RECORD_ACCOUNTABILITY", { reason: z6.string().max(1e3) })
]).meta({ id: "LadderEvent" });
function legacyLadder(id2, context) {
  const matches = [];
  for (const { context: campaign } of context.records("campaign")) {
    const config = campaign.config;
    for (const unit of config.units)
      if (`${config.id}.${unit.id}` === id2) matches.push({ campaignId: config.id, unitId: unit.id });
  }
  if (matches.length !== 1) {
    const why = matches.length === 0 ? "no campaign has such a unit" : `it could be ${matches.map((m) => `${m.campaignId} + ${m.unitId}`).join(" or ")}`;
    throw new StoreError(
      "legacyLadder",
      `ladder ${id2} (first-release id): ${why}; fix the data by hand`,
      `\u8D23\u4EFB\u5355\u4F4D\u53F0\u8D26 ${id2}(\u65E7\u7F16\u53F7)\u65E0\u6CD5\u5BF9\u5E94\u5230\u653B\u575A\u884C\u52A8\u4E0E\u5355\u4F4D,\u8BF7\u4EBA\u5DE5\u5904\u7406`
    );
  }
  return matches[0];
}
function validate3(input) {
  const parsed = LadderInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ field: i.path.join("."), zh: `\u53F0\u8D26\u8F93\u5165\u6709\u8BEF:${i.message}`, en: i.message }));
}
var ladderKind = defineKind({
  kind: "unit",
  label: { zh: "\u8D23\u4EFB\u5355\u4F4D\u95EE\u8D23\u53F0\u8D26", en: "accountability ladder" },
  machine: unitMachine,
  version: UNIT_MACHINE_VERSION,
  inputSchema: LadderInputSchema,
  eventSchema: LadderEventSchema,
  labels: { events: UNIT_EVENT_LABELS, states: UNIT_STATE_LABELS },
  moreLabels: { ladder: LADDER_LABELS },
  rules: ruleChecks(unitRules),
  // Assessments come only from supervisions (the campaign service), never from a person.
  roles: { MONTH_ASSESSED: [], RECORD_ACCOUNTABILITY: CAMPAIGN_ROLES },
  validate: validate3,
  initial: (input) => startedWith(unitMachine, input),
  createdOn: () => null,
  explain: (view, event, clock) => unitExplainer.explain(view, event, clock),
  options: (view) => unitExplainer.options(view),
  tags: (view) => ({ stage: view.value, unitId: view.context.unitId, campaignId: view.context.campaignId }),
  createForbidden: () => reject("role", "\u8D23\u4EFB\u5355\u4F4D\u53F0\u8D26\u968F\u653B\u575A\u884C\u52A8\u5EFA\u7ACB", "ladders are created with their campaign"),
  forbidden: (staff, type) => type === "RECORD_ACCOUNTABILITY" && mayRunCampaign(staff) ? null : reject(
    "role",
    `\u89D2\u8272\u300C${ROLE_LABELS[staff.role].zh}\u300D\u4E0D\u80FD${type === "RECORD_ACCOUNTABILITY" ? "\u8BB0\u5F55\u95EE\u8D23" : "\u8BB0\u5F55\u7763\u67E5\u7ED3\u679C"}`,
    `role "${staff.role}" may not send ${type}`
  ),
  migrations: {
    // v1 kept one dotted id for the ladder; v2 names its campaign and unit separately.
    1: (s, context) => {
      const { id: id2, ...rest } = s.context;
      return { ...s, context: { ...legacyLadder(String(id2), context), ...rest } };
    }
  },
  inputMigrations: {
    // The entity keeps its first-release id; the input gains the two ids it stands for.
    1: (input, context) => ({ ...input, ...legacyLadder(String(input.id), context) })
  }
});

// engine/kinds/problem.ts
import { z as z7 } from "zod";
var ProblemInputSchema = z7.strictObject({
  id: safeId,
  projectId: safeId,
  title: z7.string().min(1).max(300),
  source: z7.enum(PROBLEM_SOURCES),
  raisedOn: isoDate,
  raisedBy: z7.string().max(100).optional()
}).meta({
  id: "ProblemInput",
  example: {
    id: "p-longhua-land",
    projectId: "longhua",
    title: "\u9F99\u534E\u519C\u7267:\u571F\u5730\u9884\u5F81",
    source: "onSiteMeeting",
    raisedOn: "2022-08-19"
  }
});
var ProblemEventSchema = z7.discriminatedUnion("type", [
  dated("ASSIGN", { unitId: safeId, due: isoDate }),
  dated("RESOLVE", { note: z7.string().max(1e3) }),
  dated("VERIFY", {}),
  dated("REOPEN", { reason: z7.string().max(1e3) })
]).meta({
  id: "ProblemEvent",
  example: { type: "ASSIGN", unitId: "economic-zone", due: "2022-09-10", at: "2022-08-19" }
});
var text = (v) => typeof v === "string" && v.trim() !== "";
function validate4(input) {
  const p = typeof input === "object" && input !== null ? input : {};
  const problems = [];
  for (const field2 of ["id", "projectId", "title"])
    if (!text(p[field2])) problems.push({ field: field2, zh: `${field2} \u4E0D\u80FD\u4E3A\u7A7A`, en: `${field2} is required` });
  if (!PROBLEM_SOURCES.includes(p.source))
    problems.push({
      field: "source",
      zh: `\u6765\u6E90\u987B\u4E3A ${PROBLEM_SOURCES.join("\u3001")}`,
      en: `source must be one of ${PROBLEM_SOURCES.join(", ")}`
    });
  if (!isIsoDate(p.raisedOn))
    problems.push({ field: "raisedOn", zh: "\u63D0\u51FA\u65E5\u671F\u987B\u4E3A YYYY-MM-DD", en: "raisedOn must be YYYY-MM-DD" });
  return problems;
}
var problemKind = defineKind({
  kind: "problem",
  label: { zh: "\u95EE\u9898", en: "problem" },
  machine: problemMachine,
  version: PROBLEM_MACHINE_VERSION,
  inputSchema: ProblemInputSchema,
  eventSchema: ProblemEventSchema,
  labels: { events: PROBLEM_EVENT_LABELS, states: PROBLEM_STATE_LABELS },
  rules: ruleChecks(problemRules),
  roles: {
    ASSIGN: PROBLEM_EVENT_ROLES.ASSIGN,
    RESOLVE: PROBLEM_EVENT_ROLES.RESOLVE,
    VERIFY: PROBLEM_EVENT_ROLES.VERIFY,
    REOPEN: PROBLEM_EVENT_ROLES.REOPEN
  },
  validate: (input, clock) => [...validate4(input), ...futureFields(input, ["raisedOn"], clock)],
  initial: (input) => startedWith(problemMachine, input),
  createdOn: (input) => input.raisedOn,
  explain: (view, event, clock) => problemExplainer.explain(view, event, clock),
  options: (view) => problemExplainer.options(view),
  tags: (view) => ({ stage: view.value, ...view.context.unitId === null ? {} : { unitId: view.context.unitId } }),
  createForbidden: (staff) => problemEventForbidden(staff, "RAISE", null),
  forbidden: (staff, type, problem) => type === "ASSIGN" || type === "RESOLVE" || type === "VERIFY" || type === "REOPEN" ? problemEventForbidden(staff, type, problem.context.unitId) : reject("unknownEvent", `\u672A\u77E5\u4E8B\u4EF6\u300C${type}\u300D`, `unknown event "${type}"`),
  migrations: {},
  inputMigrations: {}
});

// engine/kinds/parse.ts
import { z as z8 } from "zod";
var zhCN = z8.locales.zhCN();
function parseWithProblems(schema, value) {
  const en = schema.safeParse(value);
  if (en.success) return { ok: true, data: en.data };
  const zh = schema.safeParse(value, { error: zhCN.localeError }).error?.issues ?? [];
  const problems = en.error.issues.map((issue, i) => {
    const field2 = issue.path.map(String).join(".");
    const [english, chinese] = issue.message.includes(" / ") ? issue.message.split(" / ", 2) : [issue.message, zh[i]?.message ?? issue.message];
    return { field: field2, en: english, zh: chinese };
  });
  return { ok: false, problems, issues: en.error.issues };
}

// engine/kinds/index.ts
var KINDS = {
  project: projectKind,
  campaign: campaignKind,
  unit: ladderKind,
  problem: problemKind,
  filing: filingKind,
  programme: programmeKind
};
var ALL_KINDS = Object.values(KINDS);
function kindOf(name2) {
  const kind = KINDS[name2];
  if (kind === void 0) throw new Error(`unknown entity kind "${name2}"`);
  return kind;
}

// engine/migrations.ts
function migrateSnapshot(kind, id2, version, snapshot, context) {
  if (version > kind.version) {
    throw new StoreError(
      "snapshotFromNewerVersion",
      `${kind.kind} ${id2} was saved by machine version ${version}, newer than this program's ${kind.version}: upgrade gongjian before opening this data`,
      `${kind.kind} ${id2} \u7531\u7B2C ${version} \u7248\u72B6\u6001\u673A\u4FDD\u5B58,\u6BD4\u672C\u7A0B\u5E8F\u7684\u7B2C ${kind.version} \u7248\u65B0:\u8BF7\u5148\u5347\u7EA7 gongjian \u518D\u6253\u5F00\u8FD9\u4E9B\u6570\u636E`
    );
  }
  let migrated = snapshot;
  for (let v = version; v < kind.version; v++) {
    const step = kind.migrations[v];
    if (step === void 0) {
      throw new StoreError(
        "noMigration",
        `${kind.kind} ${id2}: no migration from machine version ${v} to ${v + 1}`,
        `${kind.kind} ${id2}:\u7F3A\u5C11\u4ECE\u7B2C ${v} \u7248\u5230\u7B2C ${v + 1} \u7248\u7684\u8FC1\u79FB`
      );
    }
    migrated = step(migrated, context);
  }
  return migrated;
}
function migrateInput(kind, version, input, context) {
  let migrated = input;
  for (let v = version; v < kind.version; v++) {
    const step = kind.inputMigrations[v];
    if (step !== void 0) migrated = step(migrated, context);
  }
  return migrated;
}

// engine/snapshot-text.ts
function snapshotText(snapshot) {
  assertSerialisable(snapshot);
  return asciiJson(JSON.stringify(snapshot));
}
function assertSerialisable(snapshot) {
  const bad = firstUnserialisable(snapshot, "");
  if (bad !== null) {
    throw new StoreError(
      "unserialisable",
      `the snapshot cannot be saved exactly: ${bad.path || "(root)"} is ${bad.what}`,
      `\u5FEB\u7167\u65E0\u6CD5\u539F\u6837\u4FDD\u5B58:${bad.path || "(\u6839)"} \u4E3A ${bad.what}`
    );
  }
}
function assertStepSerialisable(before, after) {
  const bad = firstUnserialisable(after.value, "value") ?? firstChanged(before.context, after.context, "context");
  if (bad !== null) {
    throw new StoreError(
      "unserialisable",
      `the snapshot cannot be saved exactly: ${bad.path} is ${bad.what}`,
      `\u5FEB\u7167\u65E0\u6CD5\u539F\u6837\u4FDD\u5B58:${bad.path} \u4E3A ${bad.what}`
    );
  }
}
function steppedRecord(fields, persist) {
  let text2;
  let state = persist;
  const get = () => {
    if (text2 === void 0) {
      text2 = asciiJson(JSON.stringify(state()));
      state = null;
    }
    return text2;
  };
  unmade.set(get, () => state === null ? void 0 : state());
  return Object.defineProperty(fields, "snapshot", { get, enumerable: true, configurable: true });
}
function createdRecord(fields, snapshot) {
  assertSerialisable(snapshot);
  return steppedRecord(fields, () => snapshot);
}
var unmade = /* @__PURE__ */ new WeakMap();
function unreadSnapshot(record) {
  const get = Object.getOwnPropertyDescriptor(record, "snapshot")?.get;
  return get === void 0 ? void 0 : unmade.get(get)?.();
}
function firstChanged(before, after, path) {
  if (before === after) return null;
  if (typeof after !== "object" || after === null || typeof before !== "object" || before === null || Array.isArray(after) !== Array.isArray(before))
    return firstUnserialisable(after, path);
  if (Array.isArray(after)) {
    const was2 = before;
    for (let i = 0; i < after.length; i++) {
      if (after[i] === void 0) return { path: `${path}[${i}]`, what: "undefined" };
      const bad = firstChanged(was2[i], after[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(after);
  if (proto !== Object.prototype && proto !== null) return firstUnserialisable(after, path);
  const was = before;
  for (const key in after) {
    const item = after[key];
    if (item === void 0) continue;
    const bad = firstChanged(was[key], item, `${path}.${key}`);
    if (bad !== null) return bad;
  }
  return null;
}
function firstUnserialisable(value, path) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      if (!Number.isFinite(value)) return { path, what: String(value) };
      return Object.is(value, -0) ? { path, what: "-0" } : null;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === void 0) return { path: `${path}[${i}]`, what: "undefined" };
          const bad = firstUnserialisable(value[i], `${path}[${i}]`);
          if (bad !== null) return bad;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        return { path, what: `a ${value.constructor?.name ?? "non-plain"} object` };
      for (const [key, item] of Object.entries(value)) {
        if (item === void 0) continue;
        const bad = firstUnserialisable(item, path === "" ? key : `${path}.${key}`);
        if (bad !== null) return bad;
      }
      return null;
    }
    case "undefined":
      return null;
    default:
      return { path, what: `a ${typeof value}` };
  }
}

// engine/stable-json.ts
function stableStringify(value) {
  return JSON.stringify(
    value,
    (_key, v) => v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(
      Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    ) : v
  );
}

// engine/engine.ts
var REPLAY_PROGRESS_EVERY = 1e5;
var Engine = class {
  store;
  clock;
  actors = /* @__PURE__ */ new Map();
  /** Entities a replay moved whose records are not yet written: the snapshot reached, version, seq. */
  replayed = /* @__PURE__ */ new Map();
  scopes = /* @__PURE__ */ new Map();
  queue = new KeyedQueue();
  listeners = /* @__PURE__ */ new Set();
  liveActors;
  replayCache;
  todayIn;
  futureToleranceDays;
  lastClock = null;
  /** Stately's inspector, when `GONGJIAN_INSPECT` asks for it. */
  inspect;
  /** What migrations may read of other entities: their current (parsed) contexts. */
  migrations = {
    records: (kind) => this.store.list(kind).map((r5) => ({ id: r5.id, context: parseSnapshot(r5).context }))
  };
  constructor(options) {
    this.store = options.store;
    this.liveActors = options.liveActors ?? 2e4;
    this.replayCache = options.replayCache ?? 2e5;
    this.clock = options.clock ?? (() => (/* @__PURE__ */ new Date()).toISOString());
    this.todayIn = new Intl.DateTimeFormat("en-CA", { timeZone: options.timeZone ?? "Asia/Shanghai" });
    this.futureToleranceDays = options.futureToleranceDays ?? 0;
    this.inspect = options.inspect;
  }
  /** Today in the county (by the engine's clock) and the latest date an event may carry. */
  eventClock() {
    const now = this.clock();
    const minute = `${now.slice(0, 16)}${now.slice(23)}`;
    if (this.lastClock?.minute !== minute) {
      const today = this.todayIn.format(new Date(now));
      this.lastClock = { minute, clock: { today, latestDate: addDays(today, this.futureToleranceDays) } };
    }
    return this.lastClock.clock;
  }
  /**
   * Opens the store, migrates old snapshots, and replays the journal after the checkpoint. A
   * failure releases the store untouched: a partial replay never becomes a checkpoint.
   * `onReplay` hears how many entries have been replayed, every `progressEvery`
   * ({@link REPLAY_PROGRESS_EVERY} unless said).
   */
  async open(options = {}) {
    let migrated = false;
    let replayed = 0;
    const every = options.progressEvery ?? REPLAY_PROGRESS_EVERY;
    try {
      await this.store.open((entry) => {
        if (!migrated) this.migrateRecords();
        migrated = true;
        replayed += 1;
        if (replayed % every === 0) options.onReplay?.(replayed);
        return this.applyJournalEntry(entry, void 0, { defer: true });
      });
      if (!migrated) this.migrateRecords();
      this.settleReplay();
      this.store.watch?.((entries2) => this.remote(entries2));
    } catch (err) {
      this.actors.clear();
      this.replayed.clear();
      await this.store.close({ checkpoint: false });
      throw err;
    }
  }
  migrateRecords() {
    for (const kind of ALL_KINDS) {
      for (const record of this.store.list(kind.kind)) {
        const snapshot = this.migratedSnapshot(record);
        assertKnownState(kind, record.id, snapshot);
        const tags = kind.tags(snapshot);
        if (record.machineVersion !== kind.version || JSON.stringify(tags) !== JSON.stringify(record.tags)) {
          this.store.restore({
            ...record,
            machineVersion: kind.version,
            snapshot: snapshotText(snapshot),
            tags
          });
        }
      }
    }
  }
  /** A stored snapshot brought up to its kind's current machine version (parsed). */
  migratedSnapshot(record) {
    return migrateSnapshot(
      kindOf(record.entity),
      record.id,
      record.machineVersion,
      parseSnapshot(record),
      this.migrations
    );
  }
  /**
   * Re-applies one journal entry without journalling it (start-up replay, `verify`). Throws if
   * the machines disagree with the journal: an accepted event now refused or ending elsewhere,
   * or a refusal the same machine version would now accept. With `defer`, an accepted event
   * moves the entity's live actor only: its record is written once, when the actor leaves the
   * live cache or at {@link settleReplay} — not serialised again after every entry of a long
   * replay (the caller settles before reading records).
   */
  applyJournalEntry(entry, history = (entity, id2) => this.store.history(entity, id2), options = {}) {
    const kind = kindOf(entry.entity);
    if (entry.kind === "correction" || entry.kind === "refusal" && entry.supersedes !== void 0) {
      return history(entry.entity, entry.id).then(
        (all) => this.replayCorrection(
          kind,
          entry,
          all.filter((e) => e.seq < entry.seq)
        )
      );
    }
    if (entry.kind === "create") {
      const input = migrateInput(kind, entry.machineVersion, entry.input, this.migrations);
      const problems = kind.validate(input);
      if (problems.length > 0)
        throw replayError(
          entry,
          `the creation input is now invalid: ${problems.map((p) => `${p.field}: ${p.en}`).join("; ")}`
        );
      const snapshot = kind.initial(input);
      this.store.restore({
        entity: entry.entity,
        id: entry.id,
        version: 1,
        machineVersion: kind.version,
        snapshot: snapshotText(snapshot),
        tags: kind.tags(snapshot),
        seq: entry.seq
      });
      return;
    }
    const key = `${entry.entity} ${entry.id}`;
    let current = this.replayed.get(key)?.snapshot ?? this.actors.get(key)?.getSnapshot();
    if (current === void 0) {
      const record = this.store.get(entry.entity, entry.id);
      if (record === void 0) throw replayError(entry, `the ${entry.entity} does not exist`);
      current = this.snapshotOf(record);
    }
    const before = current;
    if (entry.kind === "refusal") {
      if (entry.machineVersion !== kind.version) return;
      const rejection = entry.rejection;
      const then = rejection?.today !== void 0 && rejection.latestDate !== void 0 ? { today: rejection.today, latestDate: rejection.latestDate } : void 0;
      const again = kind.explain(before, entry.event, then);
      if (again?.rule !== rejection?.rule)
        throw replayError(
          entry,
          `refused by rule ${String(rejection?.rule)}, now ${again === null ? "accepted" : `refused by ${again.rule}`}`
        );
      return;
    }
    const next = kind.machine.transition(current, entry.event, this.scopeOf(kind));
    const refused = next === current && entry.machineVersion === kind.version ? kind.explain(before, entry.event) : null;
    if (refused !== null) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the journal says accepted, the machine now refuses it by rule ${refused.rule} (${refused.en})`
      );
    }
    const after = next;
    if (!sameValue(after.value, entry.to)) {
      this.forget(entry.entity, entry.id);
      throw replayError(
        entry,
        `the machine gives ${JSON.stringify(after.value)}, the journal says ${JSON.stringify(entry.to)}`
      );
    }
    this.actors.delete(key);
    this.replayed.delete(key);
    this.replayed.set(key, { snapshot: next, version: entry.version, seq: entry.seq });
    if (options.defer !== true) this.saveReplayed(key);
    else if (this.replayed.size > this.replayCache) {
      let over = this.replayed.size - this.replayCache + Math.ceil(this.replayCache / 16);
      for (const oldest of this.replayed.keys()) {
        if (over-- <= 0) break;
        this.saveReplayed(oldest);
      }
    }
  }
  /** A record's snapshot resolved for its machine (checked to be a state the machine knows). */
  snapshotOf(record) {
    const kind = kindOf(record.entity);
    const persisted2 = parseSnapshot(record);
    assertKnownState(kind, record.id, persisted2);
    return kind.machine.restoreSnapshot(restorable(persisted2), this.scopeOf(kind));
  }
  /**
   * What `machine.transition` needs to step a snapshot outside an actor, made once per kind
   * (XState's own `transition()` builds a whole actor for it on every call). Its action
   * executor does nothing: the machines' actions are all `assign`, resolved in the step.
   */
  scopeOf(kind) {
    let scope = this.scopes.get(kind.kind);
    if (scope === void 0) {
      const self = createActor2(kind.machine);
      scope = {
        self,
        id: "",
        sessionId: "",
        system: self.system,
        defer: () => {
        },
        logger: () => {
        },
        stopChild: () => {
        },
        emit: () => {
        },
        actionExecutor: () => {
        }
      };
      this.scopes.set(kind.kind, scope);
    }
    return scope;
  }
  /** Writes the records of every entity replayed since the last call (see {@link applyJournalEntry}). */
  settleReplay() {
    for (const key of [...this.replayed.keys()]) this.saveReplayed(key);
  }
  /** The record of a replayed entity, from the snapshot its replay reached. */
  saveReplayed(key) {
    const moved = this.replayed.get(key);
    this.replayed.delete(key);
    if (moved === void 0) return;
    const [entity, id2] = [key.slice(0, key.indexOf(" ")), key.slice(key.indexOf(" ") + 1)];
    const record = this.store.get(entity, id2);
    const kind = kindOf(entity);
    const shape = moved.snapshot;
    this.store.restore({
      ...record,
      version: moved.version,
      snapshot: snapshotText(
        kind.machine.getPersistedSnapshot(moved.snapshot)
      ),
      tags: kind.tags(shape),
      seq: moved.seq
    });
  }
  /**
   * Restores live actors ahead of their first event (up to the live-actor limit), a slice at a
   * time, yielding to the event loop between slices so requests are served meanwhile. Optional:
   * without it, each entity is restored on its first event (≈ 30–60 µs once).
   */
  async warmUp(onProgress) {
    const records = ALL_KINDS.flatMap((kind) => this.store.list(kind.kind)).slice(0, this.liveActors);
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      this.actorFor(this.store.get(record.entity, record.id) ?? record);
      if ((i + 1) % 500 === 0) {
        onProgress?.(i + 1, records.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    onProgress?.(records.length, records.length);
  }
  forget(entity, id2) {
    this.actors.delete(`${entity} ${id2}`);
    this.replayed.delete(`${entity} ${id2}`);
  }
  /**
   * The record after an accepted step: its state proven serialisable now, its snapshot text made
   * when first read (see `steppedRecord`).
   */
  stepped(kind, record, actor, before, after) {
    assertStepSerialisable(before, after);
    const reached = actor.getSnapshot();
    return steppedRecord(
      {
        entity: record.entity,
        id: record.id,
        version: record.version + 1,
        machineVersion: record.machineVersion,
        tags: kind.tags(after),
        seq: record.seq
      },
      () => kind.machine.getPersistedSnapshot(reached)
    );
  }
  /** The live actor of an entity: from the cache (most recently used first), else restored. */
  actorFor(record) {
    const key = `${record.entity} ${record.id}`;
    let actor = this.actors.get(key);
    if (actor !== void 0) {
      this.actors.delete(key);
      this.actors.set(key, actor);
      return actor;
    }
    actor = restoreActor(record, this.inspect);
    this.actors.set(key, actor);
    if (this.actors.size > this.liveActors) {
      this.actors.delete(this.actors.keys().next().value);
    }
    return actor;
  }
  /**
   * Registers an entity of a kind. Its input is validated in full (each problem names its
   * field; a date after today is refused); a duplicate id is refused.
   */
  async create(kindName, input, options) {
    const kind = kindOf(kindName);
    const id2 = String(input?.id);
    return this.queue.run(
      `${kind.kind} ${id2}`,
      () => this.retrying(async () => {
        const prior = await this.prior(options, kind.kind, id2);
        if (prior !== void 0 && options.idempotencyKey !== void 0) {
          if (prior.kind !== "create" || stableStringify(prior.input) !== stableStringify(input))
            return { status: "keyReused", id: id2, idempotencyKey: options.idempotencyKey };
          return { status: "created", id: id2, seq: prior.seq, version: prior.version, replayed: true };
        }
        const parsed = parseWithProblems(kind.inputSchema, input);
        const problems = parsed.ok ? kind.validate(parsed.data, this.eventClock()) : parsed.problems;
        if (problems.length > 0) return { status: "invalid", problems };
        if (this.store.get(kind.kind, id2) !== void 0) return { status: "exists", id: id2 };
        const snapshot = kind.initial(input);
        const record = createdRecord(
          { entity: kind.kind, id: id2, version: 1, machineVersion: kind.version, tags: kind.tags(snapshot), seq: 0 },
          snapshot
        );
        const at = kind.createdOn(input);
        const entry = await this.store.commit(
          {
            kind: "create",
            entity: kind.kind,
            id: id2,
            at: isIsoDate(at) ? at : null,
            actor: options.actor,
            input,
            version: 1,
            machineVersion: kind.version,
            idempotencyKey: options.idempotencyKey,
            recordedAt: this.clock()
          },
          record,
          { version: null }
        );
        this.notify(entry);
        return { status: "created", id: id2, seq: entry.seq, version: 1, replayed: false };
      })
    );
  }
  /** Sends one event to one entity; see {@link SendOutcome}. */
  async send(kindName, id2, event, options) {
    const kind = kindOf(kindName);
    const outcome = await this.queue.run(
      `${kind.kind} ${id2}`,
      () => this.retrying(() => this.apply(kind, id2, event, options))
    );
    return outcome;
  }
  /**
   * "What if": the outcome the event would have now — the same checks as {@link send} (If-Match,
   * the rules, today's date) on a copy of the entity — with nothing journalled, no version
   * taken and the live actor untouched.
   */
  dryRun(kindName, id2, event, options = {}) {
    const kind = kindOf(kindName);
    const record = this.store.get(kind.kind, id2);
    if (record === void 0) return { status: "notFound", id: id2 };
    const ifMatch = options.ifMatch;
    if (stale(ifMatch, record.version)) return { status: "conflict", id: id2, version: record.version, ifMatch };
    const copy = restoreActor(record);
    const before = shapeOf(copy);
    const rejection = kind.explain(before, event, this.eventClock());
    if (rejection !== null) return { status: "rejected", id: id2, version: record.version, rejection };
    copy.send(event);
    const after = shapeOf(copy);
    return {
      status: "accepted",
      id: id2,
      version: record.version,
      from: before.value,
      to: after.value,
      context: after.context
    };
  }
  /**
   * The entity's journal replayed step by step (the inspector's time travel): after each entry,
   * the state value and context the machine gives — from the creation input through every
   * accepted event; a refusal leaves both as they were and carries its reason.
   */
  async replay(kindName, id2) {
    const kind = kindOf(kindName);
    const steps = [];
    const seen = [];
    let actor = null;
    for (const entry of await this.store.history(kind.kind, id2)) {
      if (entry.kind === "create") {
        const input = migrateInput(kind, entry.machineVersion, entry.input, this.migrations);
        actor = createActor2(kind.machine, { snapshot: restorable(kind.initial(input)) }).start();
      } else if (actor !== null && entry.kind === "event") actor.send(entry.event);
      else if (actor !== null && entry.kind === "correction") {
        const derived = this.rederive(kind, [...seen, entry]);
        if (derived.ok) actor = createActor2(kind.machine, { snapshot: restorable(derived.snapshot) }).start();
      }
      seen.push(entry);
      if (actor === null) continue;
      const now = shapeOf(actor);
      steps.push({
        seq: entry.seq,
        kind: entry.kind,
        at: entry.at,
        actor: entry.actor,
        recordedAt: entry.recordedAt,
        event: entry.event ?? null,
        rejection: entry.rejection ?? null,
        ...entry.supersedes === void 0 ? {} : { supersedes: entry.supersedes, void: entry.void === true, reason: entry.reason ?? "" },
        version: entry.version,
        value: now.value,
        context: now.context
      });
    }
    return steps;
  }
  async apply(kind, id2, event, options) {
    const prior = await this.prior(options, kind.kind, id2);
    if (prior !== void 0) return replayedOutcome(prior, id2, event, options.idempotencyKey);
    const record = this.store.get(kind.kind, id2);
    if (record === void 0) return { status: "notFound", id: id2 };
    const ifMatch = options.ifMatch;
    if (stale(ifMatch, record.version)) return { status: "conflict", id: id2, version: record.version, ifMatch };
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    const at = event?.at;
    const draft = {
      entity: kind.kind,
      id: id2,
      at: isIsoDate(at) ? at : null,
      actor: options.actor,
      event,
      machineVersion: kind.version,
      idempotencyKey: options.idempotencyKey,
      recordedAt: this.clock()
    };
    const rejection = kind.explain(before, event, this.eventClock());
    if (rejection !== null) {
      const entry2 = await this.store.commit({ ...draft, kind: "refusal", version: record.version, rejection }, null, {
        version: record.version
      });
      this.notify(entry2);
      return { status: "rejected", id: id2, seq: entry2.seq, version: record.version, rejection, replayed: false };
    }
    actor.send(event);
    const after = shapeOf(actor);
    let entry;
    let next;
    try {
      next = this.stepped(kind, record, actor, before, after);
      entry = await this.store.commit(
        { ...draft, kind: "event", from: before.value, to: after.value, version: next.version },
        next,
        { version: record.version }
      );
    } catch (err) {
      this.forget(kind.kind, id2);
      throw err;
    }
    this.notify(entry);
    return {
      status: "accepted",
      id: id2,
      seq: entry.seq,
      version: next.version,
      from: before.value,
      to: after.value,
      replayed: false
    };
  }
  /**
   * An entity's state re-derived from its journal with every correction in `entries` applied:
   * its creation, then each accepted event — replaced by its latest correction, or skipped if
   * voided — through the same machine, each checked by the machine's rules. `checkSeq` is
   * checked against `clock` too (the corrected event must not be dated after today). The first
   * event the corrected history refuses ends it, naming that event.
   */
  rederive(kind, entries2, check) {
    const corrections = /* @__PURE__ */ new Map();
    for (const e of entries2)
      if (e.kind === "correction" && e.supersedes !== void 0) corrections.set(e.supersedes, e);
    let actor = null;
    for (const e of entries2) {
      if (e.kind === "create") {
        const input = migrateInput(kind, e.machineVersion, e.input, this.migrations);
        actor = createActor2(kind.machine, { snapshot: restorable(kind.initial(input)) }).start();
        continue;
      }
      if (actor === null || e.kind !== "event") continue;
      const correction = corrections.get(e.seq);
      if (correction?.void === true) continue;
      const event = correction === void 0 ? e.event : correction.event;
      const before = shapeOf(actor);
      const corrected = correction !== void 0;
      const judged = corrected || e.machineVersion === kind.version;
      const refused = judged ? kind.explain(before, event, check?.seq === e.seq ? check.clock : void 0) : null;
      if (refused !== null) return { ok: false, seq: e.seq, rejection: refused };
      actor.send(event);
    }
    if (actor === null) return { ok: false, seq: 0, rejection: reject("notFound", "\u8BB0\u5F55\u4E0D\u5B58\u5728", "no such entity") };
    const after = shapeOf(actor);
    return {
      ok: true,
      snapshot: JSON.parse(snapshotText(actor.getPersistedSnapshot())),
      value: after.value,
      context: after.context
    };
  }
  /** Start-up replay of a correction (or a refused one): re-derived again, it must come out the same. */
  replayCorrection(kind, entry, before) {
    const record = this.store.get(entry.entity, entry.id);
    if (record === void 0) throw replayError(entry, `the ${entry.entity} does not exist`);
    const derived = this.rederive(kind, [
      ...before,
      entry.kind === "refusal" ? { ...entry, kind: "correction" } : entry
    ]);
    if (entry.kind === "refusal") {
      if (entry.machineVersion !== kind.version) return;
      const rule2 = entry.rejection?.rule;
      if (derived.ok || derived.rejection.rule !== rule2)
        throw replayError(
          entry,
          `correction refused by rule ${String(rule2)}, now ${derived.ok ? "accepted" : `refused by ${derived.rejection.rule}`}`
        );
      return;
    }
    if (!derived.ok)
      throw replayError(
        entry,
        `the correction is now refused by rule ${derived.rejection.rule} (${derived.rejection.en})`
      );
    if (stableStringify(derived.value) !== stableStringify(entry.to))
      throw replayError(
        entry,
        `the corrected history gives ${JSON.stringify(derived.value)}, the journal says ${JSON.stringify(entry.to)}`
      );
    this.forget(entry.entity, entry.id);
    this.store.restore({
      ...record,
      version: entry.version,
      snapshot: snapshotText(derived.snapshot),
      tags: kind.tags({ value: derived.value, context: derived.context }),
      seq: entry.seq
    });
  }
  /**
   * Corrects (更正) an accepted event of an entity — a replacement event of the same type (a new
   * amount or date) or `void` — with a reason. Nothing is rewritten: a `correction` entry names
   * the entry it supersedes, and the entity is re-derived through its machine with it applied.
   * A correction the corrected history refuses (a later event relied on what is voided) is
   * refused, journalled, naming that rule and its numbers.
   */
  async correct(kindName, id2, request, options) {
    const kind = kindOf(kindName);
    const outcome = await this.queue.run(
      `${kind.kind} ${id2}`,
      () => this.retrying(() => this.applyCorrection(kind, id2, request, options))
    );
    return outcome;
  }
  async applyCorrection(kind, id2, request, options) {
    const asked = {
      supersedes: request.seq,
      event: request.event,
      void: request.void === true,
      reason: request.reason
    };
    const prior = await this.prior(options, kind.kind, id2);
    if (prior !== void 0) {
      const was = { supersedes: prior.supersedes, event: prior.event, void: prior.void === true, reason: prior.reason };
      if (prior.supersedes === void 0 || stableStringify(was) !== stableStringify(asked))
        return { status: "keyReused", id: id2, idempotencyKey: options.idempotencyKey };
      return outcomeOf(prior, id2);
    }
    const record = this.store.get(kind.kind, id2);
    if (record === void 0) return { status: "notFound", id: id2 };
    const ifMatch = options.ifMatch;
    if (stale(ifMatch, record.version)) return { status: "conflict", id: id2, version: record.version, ifMatch };
    const invalid = (field2, zh, en) => ({
      status: "invalid",
      id: id2,
      field: field2,
      zh,
      en
    });
    if (typeof request.reason !== "string" || request.reason.trim() === "")
      return invalid("reason", "\u66F4\u6B63\u987B\u8BF4\u660E\u539F\u56E0", "a correction needs a reason");
    const history = await this.store.history(kind.kind, id2);
    const target = history.find((e) => e.seq === request.seq);
    if (target === void 0 || target.kind !== "event")
      return invalid(
        "seq",
        `\u7B2C ${request.seq} \u6761\u4E0D\u662F${kind.label.zh} ${id2} \u5DF2\u53D7\u7406\u7684\u4E8B\u4EF6`,
        `entry ${request.seq} is not an accepted event of ${kind.label.en} ${id2}`
      );
    if (request.void === true && request.event !== void 0)
      return invalid("event", "\u4F5C\u5E9F\u65F6\u4E0D\u80FD\u540C\u65F6\u7ED9\u51FA\u66F4\u6B63\u540E\u7684\u4E8B\u4EF6", "a void correction carries no replacement event");
    if (request.void !== true) {
      const type = request.event?.type;
      if (type !== target.event.type)
        return invalid(
          "event",
          `\u66F4\u6B63\u540E\u7684\u4E8B\u4EF6\u987B\u4E0E\u539F\u4E8B\u4EF6\u540C\u7C7B(${target.event.type}),\u6536\u5230 ${String(type)}`,
          `the corrected event must be of the original's type (${target.event.type}), not ${String(type)}`
        );
    }
    const actor = this.actorFor(record);
    const before = shapeOf(actor);
    const at = request.event?.at;
    const draft = {
      entity: kind.kind,
      id: id2,
      at: isIsoDate(at) ? at : target.at,
      actor: options.actor,
      ...request.void === true ? { void: true } : { event: request.event },
      supersedes: request.seq,
      reason: request.reason.trim(),
      machineVersion: kind.version,
      idempotencyKey: options.idempotencyKey,
      recordedAt: this.clock()
    };
    const proposed = { ...draft, kind: "correction", seq: Number.MAX_SAFE_INTEGER };
    const derived = this.rederive(kind, [...history, proposed], { seq: request.seq, clock: this.eventClock() });
    if (!derived.ok) {
      const broken = history.find((e) => e.seq === derived.seq);
      const what = `${String(broken?.event?.type)}, ${String(broken?.at)}`;
      const rejection = derived.seq === request.seq ? derived.rejection : {
        ...derived.rejection,
        zh: `\u66F4\u6B63\u540E,\u7B2C ${derived.seq} \u6761(${what})\u4E0D\u518D\u6210\u7ACB:${derived.rejection.zh}`,
        en: `with the correction, entry ${derived.seq} (${what}) no longer holds: ${derived.rejection.en}`
      };
      const entry2 = await this.store.commit({ ...draft, kind: "refusal", version: record.version, rejection }, null, {
        version: record.version
      });
      this.notify(entry2);
      return { status: "rejected", id: id2, seq: entry2.seq, version: record.version, rejection, replayed: false };
    }
    const next = {
      ...record,
      version: record.version + 1,
      snapshot: snapshotText(derived.snapshot),
      tags: kind.tags({ value: derived.value, context: derived.context })
    };
    const entry = await this.store.commit(
      { ...draft, kind: "correction", from: before.value, to: derived.value, version: next.version },
      next,
      { version: record.version }
    );
    this.forget(kind.kind, id2);
    this.notify(entry);
    return {
      status: "accepted",
      id: id2,
      seq: entry.seq,
      version: next.version,
      from: before.value,
      to: derived.value,
      replayed: false
    };
  }
  /**
   * Several entities changed as one (a filing approved and its event applied to the project):
   * every step checked, then all journalled together (`commitAll`: one write, and after any
   * crash all or none). A step refused stops it: that refusal alone is journalled, on the
   * refusing entity, linked to the others. A `checkOnly` step is checked, not applied.
   * Steps on one entity each, run under every entity's queue (taken in a fixed order).
   */
  async together(steps, options) {
    const keys = [...new Set(steps.map((s) => `${s.kind} ${s.id}`))].sort();
    const run = (i) => i === keys.length ? this.retrying(() => this.applyTogether(steps, options)) : this.queue.run(keys[i], () => run(i + 1));
    return run(0);
  }
  async applyTogether(steps, options) {
    const keyed = steps.findIndex((s) => !("checkOnly" in s && s.checkOnly === true));
    const key = options.idempotencyKey;
    if (key !== void 0) {
      const priors = await Promise.all(steps.map((s) => this.prior(options, s.kind, s.id)));
      const found = priors.map((prior2, i) => ({ i, prior: prior2 })).find((f) => f.prior !== void 0);
      const prior = found?.prior;
      if (found !== void 0 && prior !== void 0) {
        const step = steps[found.i];
        const asked = "create" in step ? step.create : step.event;
        const was = prior.kind === "create" ? prior.input : prior.event;
        if (stableStringify(was) !== stableStringify(asked))
          return { status: "keyReused", id: step.id, idempotencyKey: key };
        if (prior.kind === "refusal")
          return {
            status: "rejected",
            step: found.i,
            kind: prior.entity,
            id: prior.id,
            seq: prior.seq,
            rejection: prior.rejection,
            replayed: true
          };
        return {
          status: "accepted",
          replayed: true,
          steps: [
            {
              kind: prior.entity,
              id: prior.id,
              seq: prior.seq,
              version: prior.version,
              from: prior.from,
              to: prior.to
            }
          ]
        };
      }
    }
    const clock = this.eventClock();
    const recordedAt = this.clock();
    const items = [];
    const checks = [];
    const moved = [];
    for (const [i, step] of steps.entries()) {
      const kind = kindOf(step.kind);
      const stepKey = i === keyed ? key : void 0;
      if ("create" in step) {
        const parsed = parseWithProblems(kind.inputSchema, step.create);
        const problems = parsed.ok ? kind.validate(parsed.data, clock) : parsed.problems;
        if (problems.length > 0) return { status: "invalid", step: i, problems };
        if (this.store.get(kind.kind, step.id) !== void 0) return { status: "exists", step: i, id: step.id };
        const snapshot = kind.initial(step.create);
        const at2 = kind.createdOn(step.create);
        items.push({
          draft: {
            kind: "create",
            entity: kind.kind,
            id: step.id,
            at: isIsoDate(at2) ? at2 : null,
            actor: options.actor,
            input: step.create,
            version: 1,
            machineVersion: kind.version,
            idempotencyKey: stepKey,
            link: step.link,
            blobs: step.blobs,
            recordedAt
          },
          record: {
            entity: kind.kind,
            id: step.id,
            version: 1,
            machineVersion: kind.version,
            snapshot: snapshotText(snapshot),
            tags: kind.tags(snapshot),
            seq: 0
          },
          expect: { version: null }
        });
        continue;
      }
      const record = this.store.get(kind.kind, step.id);
      if (record === void 0) return { status: "notFound", step: i, id: step.id };
      if (stale(step.ifMatch, record.version)) {
        for (const m of moved) this.forget(m.kind, m.id);
        return { status: "conflict", step: i, id: step.id, version: record.version, ifMatch: step.ifMatch };
      }
      const actor = this.actorFor(record);
      const before = shapeOf(actor);
      const at = step.event?.at;
      const draft = {
        entity: kind.kind,
        id: step.id,
        at: isIsoDate(at) ? at : null,
        actor: options.actor,
        event: step.event,
        machineVersion: kind.version,
        idempotencyKey: stepKey,
        link: step.link,
        blobs: step.blobs,
        recordedAt
      };
      const rejection = kind.explain(before, step.event, clock);
      if (rejection !== null) {
        for (const m of moved) this.forget(m.kind, m.id);
        const entry = await this.store.commit({ ...draft, kind: "refusal", version: record.version, rejection }, null, {
          version: record.version
        });
        this.notify(entry);
        return {
          status: "rejected",
          step: i,
          kind: kind.kind,
          id: step.id,
          seq: entry.seq,
          rejection,
          replayed: false
        };
      }
      if (step.checkOnly === true) {
        checks.push({ entity: kind.kind, id: step.id, version: record.version });
        continue;
      }
      actor.send(step.event);
      moved.push({ kind: kind.kind, id: step.id });
      const after = shapeOf(actor);
      const next = this.stepped(kind, record, actor, before, after);
      items.push({
        draft: { ...draft, kind: "event", from: before.value, to: after.value, version: next.version },
        record: next,
        expect: { version: record.version }
      });
    }
    let entries2;
    try {
      entries2 = await this.store.commitAll(items, checks);
    } catch (err) {
      for (const m of moved) this.forget(m.kind, m.id);
      throw err;
    }
    for (const entry of entries2) this.notify(entry);
    return {
      status: "accepted",
      replayed: false,
      steps: entries2.map((e) => ({ kind: e.entity, id: e.id, seq: e.seq, version: e.version, from: e.from, to: e.to }))
    };
  }
  /** The entry journalled before with this request's Idempotency-Key (same caller, same entity), if any. */
  async prior(options, entity, id2) {
    return options.idempotencyKey === void 0 ? void 0 : this.store.findByIdempotencyKey({ actor: options.actor, entity, id: id2, key: options.idempotencyKey });
  }
  /** Actors kept live in memory now (`/metrics`). */
  get liveActorCount() {
    return this.actors.size;
  }
  /** An entity's current state: value, context, version and tags (typed by its kind). */
  get(kind, id2) {
    const record = this.store.get(kind, id2);
    return record === void 0 ? void 0 : viewOf(record);
  }
  /**
   * An entity's current state to read and not to change (the request path's checks): from its
   * live actor where there is one — no parse of its snapshot, no snapshot text made — else as `get`.
   */
  peek(kind, id2) {
    const record = this.store.get(kind, id2);
    return record === void 0 ? void 0 : viewOf(record, this.stateOf(record));
  }
  /**
   * The state value and context of every entity of a kind, to read and not to change: taken from
   * the live actor where there is one (no parse of its snapshot), else from the record.
   */
  states(kind) {
    return this.store.list(kind).map((record) => this.stateOf(record));
  }
  /** A record's state: its live actor's (kept in step with the record), else its snapshot parsed. */
  stateOf(record) {
    const live = this.actors.get(`${record.entity} ${record.id}`);
    return live === void 0 ? parseSnapshot(record) : live.getSnapshot();
  }
  /** Every entity of a kind, optionally filtered by its tags (unit, stage, 八未…). */
  list(kind, filter) {
    return this.store.list(kind, filter).map((record) => viewOf(record));
  }
  /**
   * Id, version and tags of every entity of a kind matching the filter, without parsing a
   * snapshot: what lists of 100,000 projects are filtered, counted and sorted by.
   */
  summaries(kind, filter) {
    return this.store.list(kind, filter);
  }
  /** An entity's tags (unit, stage…) without parsing its snapshot: cheap, for permission checks. */
  tags(kind, id2) {
    return this.store.get(kind, id2)?.tags;
  }
  /** The journal of one entity: creation, accepted events and refusals, oldest first. */
  history(kind, id2) {
    return this.store.history(kind, id2);
  }
  /**
   * Runs `work` again when a store shared with other processes refuses its commit because one of
   * them changed the entity meanwhile (`versionConflict`) or journalled the same idempotency key
   * (`commitConflict`): their entries are taken in first, so the next attempt decides on them
   * (a retried key then finds its entry and replays it). A store one process owns never refuses so.
   */
  async retrying(work) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        const raced = err instanceof StoreError && (err.code === "versionConflict" || err.code === "commitConflict");
        if (!raced || this.store.sync === void 0 || attempt >= RACE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
        await this.store.sync();
      }
    }
  }
  /** Entries another process journalled: its live actors and replay snapshots dropped, listeners told. */
  remote(entries2) {
    for (const entry of entries2) {
      this.forget(entry.entity, entry.id);
      this.notify(entry);
    }
  }
  /** Listen to every journalled change; returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  notify(entry) {
    const notice = {
      seq: entry.seq,
      kind: entry.kind,
      entity: entry.entity,
      id: entry.id,
      actor: entry.actor,
      at: entry.at,
      event: entry.kind === "create" ? { type: "CREATE" } : entry.event,
      from: entry.from,
      to: entry.to,
      version: entry.version,
      rejection: entry.rejection,
      unitId: this.store.get(entry.entity, entry.id)?.tags.unitId
    };
    for (const listener of this.listeners) listener(notice);
  }
  async close() {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
    await this.store.close();
  }
};
var RACE_ATTEMPTS = 30;
function parseSnapshot(record) {
  return JSON.parse(record.snapshot);
}
function restoreActor(record, inspect) {
  const kind = kindOf(record.entity);
  const persisted2 = unreadSnapshot(record) ?? parseSnapshot(record);
  assertKnownState(kind, record.id, persisted2);
  const created = createActor2(kind.machine, { snapshot: restorable(persisted2), inspect });
  let failure = null;
  created.subscribe({ error: (err) => failure = err });
  created.start();
  if (failure !== null || created.getSnapshot().status === "error") {
    throw new StoreError(
      "restoreFailed",
      `${record.entity} ${record.id} could not be restored: ${String(failure)}`,
      `${record.entity} ${record.id} \u65E0\u6CD5\u6062\u590D:${String(failure)}`
    );
  }
  return created;
}
function shapeOf(actor) {
  const snapshot = actor.getSnapshot();
  return { value: snapshot.value, context: snapshot.context };
}
function viewOf(record, state = parseSnapshot(record)) {
  return {
    id: record.id,
    version: record.version,
    machineVersion: record.machineVersion,
    value: state.value,
    context: state.context,
    tags: record.tags
  };
}
function assertKnownState(kind, id2, persisted2) {
  if (!isKnownStateValue(kind.machine.root, persisted2.value)) {
    throw new StoreError(
      "unknownState",
      `${kind.kind} ${id2}: saved state ${JSON.stringify(persisted2.value)} does not exist in the ${kind.kind} machine; register a migration`,
      `${kind.kind} ${id2}:\u4FDD\u5B58\u7684\u72B6\u6001 ${JSON.stringify(persisted2.value)} \u5728\u72B6\u6001\u673A\u4E2D\u4E0D\u5B58\u5728,\u9700\u767B\u8BB0\u8FC1\u79FB`
    );
  }
}
function sameValue(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak)
    if (!sameValue(a[k], b[k])) return false;
  return true;
}
function replayedOutcome(prior, id2, event, key) {
  if (prior.kind === "create" || stableStringify(prior.event) !== stableStringify(event))
    return { status: "keyReused", id: id2, idempotencyKey: key };
  return outcomeOf(prior, id2);
}
function outcomeOf(prior, id2) {
  return prior.kind === "refusal" ? {
    status: "rejected",
    id: id2,
    seq: prior.seq,
    version: prior.version,
    rejection: prior.rejection,
    replayed: true
  } : {
    status: "accepted",
    id: id2,
    seq: prior.seq,
    version: prior.version,
    from: prior.from,
    to: prior.to,
    replayed: true
  };
}
function stale(ifMatch, version) {
  return ifMatch !== void 0 && ifMatch !== "*" && !ifMatch.includes(String(version));
}
function replayError(entry, why) {
  return new StoreError(
    "replayMismatch",
    `journal entry ${entry.seq} (${entry.entity} ${entry.id}): ${why}`,
    `\u65E5\u5FD7\u7B2C ${entry.seq} \u6761(${entry.entity} ${entry.id}):\u91CD\u653E\u7ED3\u679C\u4E0E\u65E5\u5FD7\u4E0D\u7B26`,
    entry.seq
  );
}

// engine/filing-service.ts
var FilingService = class {
  constructor(engine) {
    this.engine = engine;
  }
  engine;
  /** The campaigns as last read, and the versions they were read at (asked for on every event). */
  campaigns = { key: "", list: [] };
  /** The review a project event needs now, or null (it counts at once). */
  policy(projectId, type) {
    const unitId = this.engine.tags("project", projectId)?.unitId;
    if (unitId === void 0) return null;
    const key = this.engine.summaries("campaign").map((c) => `${c.id}@${c.version}`).join(" ");
    if (key !== this.campaigns.key) this.campaigns = { key, list: this.engine.list("campaign") };
    return reviewPolicy(this.campaigns.list, unitId, type);
  }
  /** Files a project event (with its evidence, already stored as blobs). */
  async file(projectId, event, attachments2, options, filingId) {
    const unitId = this.engine.tags("project", projectId)?.unitId;
    if (unitId === void 0) return { status: "notFound", id: projectId };
    const policy = this.policy(projectId, event.type);
    if (policy === null)
      return { status: "applied", outcome: await this.engine.send("project", projectId, event, options) };
    const input = {
      id: filingId,
      projectId,
      unitId,
      event,
      reviewers: policy.reviewers,
      reviewDays: policy.reviewDays,
      campaignId: policy.campaignId,
      submittedOn: this.engine.eventClock().today,
      filedBy: options.actor,
      attachments: attachments2
    };
    const outcome = await this.engine.together(
      [
        // Checked, not applied: a filing the project could not accept now is refused at once.
        // If-Match names the project's version the filer saw.
        {
          kind: "project",
          id: projectId,
          event,
          checkOnly: true,
          link: { entity: "filing", id: filingId },
          ...options.ifMatch === void 0 ? {} : { ifMatch: options.ifMatch }
        },
        {
          kind: "filing",
          id: filingId,
          create: input,
          link: { entity: "project", id: projectId },
          ...attachments2.length > 0 ? { blobs: attachments2.map((a) => a.hash) } : {}
        }
      ],
      // The idempotency key goes with the filing (or with the refusal, if the project refuses).
      options
    );
    return { status: "filed", id: filingId, outcome };
  }
  /**
   * A reviewer's or the filer's event: APPROVE (the filing approved and its event applied to the
   * project as one commit), RETURN with a reason, RESUBMIT a corrected event (checked against
   * the project again), WITHDRAW.
   */
  async review(filingId, event, options, attachments2) {
    const filing = this.engine.get("filing", filingId);
    if (filing === void 0) return { status: "notFound", id: filingId };
    const { projectId } = filing.context;
    if (event.type === "APPROVE" && isPending(filing.value))
      return this.engine.together(
        [
          {
            kind: "filing",
            id: filingId,
            event,
            link: { entity: "project", id: projectId },
            ...options.ifMatch === void 0 ? {} : { ifMatch: options.ifMatch }
          },
          // Dated as filed; the link carries the approval date (for countIn: approved).
          {
            kind: "project",
            id: projectId,
            event: filing.context.event,
            link: { entity: "filing", id: filingId, at: event.at }
          }
        ],
        options
      );
    if (event.type === "RESUBMIT" && filing.value === "returned") {
      const filed = event.event;
      const withEvidence = attachments2 === void 0 ? event : { ...event, attachments: attachments2 };
      return this.engine.together(
        [
          { kind: "project", id: projectId, event: filed, checkOnly: true, link: { entity: "filing", id: filingId } },
          {
            kind: "filing",
            id: filingId,
            event: withEvidence,
            link: { entity: "project", id: projectId },
            ...options.ifMatch === void 0 ? {} : { ifMatch: options.ifMatch },
            ...attachments2 !== void 0 && attachments2.length > 0 ? { blobs: attachments2.map((a) => a.hash) } : {}
          }
        ],
        options
      );
    }
    return this.engine.send("filing", filingId, event, options);
  }
  /** Filings matching the filter, oldest first (a reviewer's queue). */
  list(filter, today) {
    return this.engine.list("filing", {
      ...filter.unit === void 0 ? {} : { unitId: filter.unit },
      ...filter.state === void 0 ? {} : { stage: filter.state },
      ...filter.campaign === void 0 ? {} : { campaignId: filter.campaign }
    }).filter(
      (f) => (filter.reviewer === void 0 || f.context.reviewers.includes(filter.reviewer)) && (filter.project === void 0 || f.context.projectId === filter.project) && (filter.overdue !== true || isFilingOverdue(f.value, f.context, today))
    ).sort((a, b) => order(a.context).localeCompare(order(b.context)) || (a.id < b.id ? -1 : 1));
  }
  /** Pending and overdue filings per unit (the report's and the dashboard's 审核 figures). */
  overview(campaignId, today) {
    const byUnit = /* @__PURE__ */ new Map();
    let pending = 0;
    let overdue = 0;
    for (const f of this.engine.list("filing", { campaignId })) {
      if (!isPending(f.value)) continue;
      const row = byUnit.get(f.context.unitId) ?? { unitId: f.context.unitId, pending: 0, overdue: 0 };
      row.pending += 1;
      pending += 1;
      if (isFilingOverdue(f.value, f.context, today)) {
        row.overdue += 1;
        overdue += 1;
      }
      byUnit.set(f.context.unitId, row);
    }
    return {
      pending,
      overdue,
      byUnit: [...byUnit.values()].sort((a, b) => b.overdue - a.overdue || b.pending - a.pending)
    };
  }
};
function order(f) {
  return f.resubmittedOn ?? f.submittedOn;
}

// engine/campaign-service.ts
var CampaignService = class {
  constructor(engine) {
    this.engine = engine;
  }
  engine;
  /**
   * Each campaign's ledger and supervisions, folded forward as the journal grows: a supervision
   * reads only the entries since the last one folded (at 10,000 projects, rebuilding the ledger
   * from the whole journal at each supervision was most of the simulation's overhead). Kept with
   * the configuration it was folded for; folds run one at a time (each awaits the journal).
   */
  folds = /* @__PURE__ */ new Map();
  folding = Promise.resolve();
  /** Each campaign's report, as of a journal position and a day. */
  reportCache = /* @__PURE__ */ new Map();
  /**
   * The campaign's ledger, supervisions and cutoffs at the journal's current position, or (given
   * `facts`, every entry up to some position) at the end of `facts`.
   */
  derived(campaignId, config, facts) {
    const run = this.folding.then(async () => {
      const text2 = JSON.stringify(config);
      let held = this.folds.get(campaignId);
      const upTo = facts === void 0 ? this.engine.store.position() : facts.at(-1)?.seq ?? 0;
      if (held === void 0 || held.config !== text2 || held.fold.position > upTo) {
        held = { config: text2, fold: new CampaignFold(config) };
        this.folds.set(campaignId, held);
      }
      const { fold } = held;
      if (facts !== void 0) {
        for (let i = fold.position; i < facts.length; i++) fold.add(facts[i]);
      } else if (fold.position < upTo) {
        for await (const entry of this.engine.store.entries({ after: fold.position })) fold.add(entry);
      }
      return fold.derived();
    });
    this.folding = run.catch(() => {
    });
    return run;
  }
  async create(config, actor) {
    const outcome = await this.engine.create("campaign", config, { actor });
    if (outcome.status !== "created") return outcome;
    for (const unit of config.units) {
      const ladder = {
        id: ladderKey(config.id, unit.id),
        campaignId: config.id,
        unitId: unit.id,
        name: unit.name,
        group: unit.group
      };
      const created = await this.engine.create("unit", ladder, { actor });
      if (created.status !== "created")
        throw new Error(
          `campaign ${config.id}: the ladder of unit ${unit.id} could not be created: ${JSON.stringify(created)}`
        );
    }
    return outcome;
  }
  /**
   * The accountability ladder of a unit in a campaign, found by its two ids (whatever its
   * entity id: ladders of the first release keep theirs).
   */
  ladder(campaignId, unitId) {
    return this.engine.list("unit", { campaignId, unitId })[0];
  }
  /** Entity id → unit id of every ladder of a campaign. */
  ladderIds(campaignId) {
    return new Map(this.engine.list("unit", { campaignId }).map((ladder) => [ladder.id, ladder.context.unitId]));
  }
  /**
   * Sends a campaign event. A SUPERVISE that the campaign accepts is followed by each unit's
   * MONTH_ASSESSED, computed from the journal up to that supervision; RECORD_ACCOUNTABILITY
   * (问责, by hand) goes to the named unit's ladder.
   */
  async send(campaignId, event, actor, options = {}) {
    await this.reconcile(campaignId, actor);
    if (event.type === "RECORD_ACCOUNTABILITY") {
      const ladder = this.ladder(campaignId, String(event.unit));
      if (ladder === void 0) return { status: "notFound", id: `${campaignId} / ${String(event.unit)}` };
      return this.engine.send(
        "unit",
        ladder.id,
        { type: event.type, at: event.at, reason: event.reason },
        { actor, ...options }
      );
    }
    const outcome = await this.engine.send("campaign", campaignId, event, { actor, ...options });
    if (outcome.status === "accepted" && event.type === "SUPERVISE") await this.reconcile(campaignId, actor);
    return outcome;
  }
  /**
   * Records on each unit's ladder every assessment that a held supervision implies and the
   * ladder lacks. A supervision and its assessments are separate journal entries: if the
   * process stops between them, this completes the ladders (it runs after every supervision,
   * before any campaign event, and when the server starts). Idempotent.
   */
  async reconcile(campaignId, actor) {
    const campaign = this.campaign(campaignId);
    const last = campaign?.context.supervisions.at(-1)?.month;
    if (campaign === void 0 || last === void 0) return 0;
    const behind = campaign.context.config.units.some((u) => {
      const ladder = this.ladder(campaignId, u.id)?.context;
      return ladder !== void 0 && !ladder.assessments.some((a) => a.month >= last);
    });
    if (!behind) return 0;
    let recorded = 0;
    const supervisions = await this.supervisions(campaignId);
    for (const [i, supervision] of supervisions.entries()) {
      const at = campaign.context.supervisions[i].at;
      for (const unit of supervision.units) {
        const view = this.ladder(campaignId, unit.unitId);
        const ladder = view?.context;
        if (view === void 0 || ladder === void 0 || ladder.assessments.some((a) => a.month >= supervision.month))
          continue;
        const outcome = await this.engine.send(
          "unit",
          view.id,
          {
            type: "MONTH_ASSESSED",
            month: supervision.month,
            at,
            missedTasks: unit.missedTasks,
            bottomTasks: unit.bottomTasks
          },
          { actor }
        );
        if (outcome.status === "accepted") recorded += 1;
      }
    }
    return recorded;
  }
  /**
   * The responsible units (责任单位) of every campaign registered, or null while there is none
   * (then unit references cannot be checked and any id is taken).
   */
  knownUnits() {
    const campaigns = this.engine.list("campaign");
    if (campaigns.length === 0) return null;
    const units = /* @__PURE__ */ new Map();
    for (const c of campaigns) for (const u of c.context.config.units) units.set(u.id, u.name);
    return units;
  }
  /** Whether `unitId` names a known unit (always true while no campaign defines units). */
  unitKnown(unitId) {
    return this.knownUnits()?.has(unitId) ?? true;
  }
  async facts() {
    const facts = [];
    for await (const entry of this.engine.store.entries()) facts.push(entry);
    return facts;
  }
  campaign(campaignId) {
    const view = this.engine.get("campaign", campaignId);
    return view === void 0 ? void 0 : { value: view.value, context: view.context };
  }
  /** The supervisions held so far, as each found it. */
  async supervisions(campaignId) {
    const campaign = this.campaign(campaignId);
    return campaign === void 0 ? [] : (await this.derived(campaignId, campaign.context.config)).supervisions;
  }
  /** The projects behind one of the campaign's totals (the dashboard's drill-down); undefined: no such campaign. */
  async totalProjects(campaignId, total) {
    const campaign = this.campaign(campaignId);
    if (campaign === void 0) return void 0;
    const { ledger } = await this.derived(campaignId, campaign.context.config);
    return new Set(totalContributions(campaign.context.config, ledger)[total].map((c) => c.projectId));
  }
  /** The projects behind one figure of a held supervision (a unit's task in a month); undefined: not held. */
  async cellProjects(campaignId, month, task, unitId) {
    const campaign = this.campaign(campaignId);
    if (campaign === void 0) return void 0;
    const derived = await this.derived(campaignId, campaign.context.config);
    return supervisionCellProjects(campaign.context.config, derived, month, task, unitId);
  }
  /** Every project's unit and 八未 now, from the record tags (no snapshot read). */
  projectCategories() {
    return [...this.engine.summaries("project", {})].map((r5) => ({
      unitId: r5.tags.unitId ?? "",
      wei: r5.tags.wei ?? []
    }));
  }
  async report(campaignId) {
    const campaign = this.campaign(campaignId);
    if (campaign === void 0) return void 0;
    const position = this.engine.store.position();
    const today = this.engine.eventClock().today;
    const key = `${position} ${today}`;
    const cached = this.reportCache.get(campaignId);
    if (cached !== void 0 && cached.key === key) return cached.value;
    const facts = await this.facts();
    const report = campaignReport(
      campaign,
      facts,
      this.ladderIds(campaignId),
      this.engine.states("project"),
      { asOf: today, ...new FilingService(this.engine).overview(campaignId, today) },
      this.engine.list("programme").map((p) => p.context),
      await this.derived(campaignId, campaign.context.config, facts)
    );
    if (this.engine.store.position() === position) this.reportCache.set(campaignId, { key, value: report });
    return report;
  }
};

// engine/random.ts
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

// engine/simulate.ts
function dayOrder(events2, random, projectOfFiling) {
  const byTarget = /* @__PURE__ */ new Map();
  for (const e of events2) {
    const filed = "filing" in e && typeof e.filing === "string" ? projectOfFiling.get(e.filing) : void 0;
    const target = "project" in e && typeof e.project === "string" ? `p:${e.project}` : filed !== void 0 ? `p:${filed}` : "problem" in e ? `q:${String(e.problem)}` : `o:${e.type}`;
    byTarget.set(target, [...byTarget.get(target) ?? [], e]);
  }
  const queues = [...byTarget.values()];
  const out = [];
  while (queues.length > 0) {
    const i = Math.floor(random() * queues.length);
    out.push(queues[i].shift());
    if (queues[i].length === 0) queues.splice(i, 1);
  }
  return out;
}
async function simulate(scenario2, options = {}) {
  let today = addDays(scenario2.campaign.start, -1);
  const engine = new Engine({ store: options.store ?? new MemoryStore(), clock: () => `${today}T12:00:00.000+08:00` });
  await engine.open();
  const campaigns = new CampaignService(engine);
  const config = {
    ...scenario2.campaign,
    units: scenario2.units,
    targets: scenario2.targets,
    ...options.review === void 0 ? {} : { review: options.review }
  };
  const filings = new FilingService(engine);
  const refs = /* @__PURE__ */ new Map();
  const refOfFiling = /* @__PURE__ */ new Map();
  const projectOfFiling = /* @__PURE__ */ new Map();
  for (const e of scenario2.events)
    if ("filing" in e && typeof e.filing === "string" && "project" in e && typeof e.project === "string")
      projectOfFiling.set(e.filing, e.project);
  const approvals = /* @__PURE__ */ new Map();
  let generated = 0;
  const staff = new Map(scenario2.staff.map((m) => [m.id, m]));
  const office = scenario2.staff.find((m) => m.role === "hq")?.id ?? "hq";
  const counts2 = { events: 0, accepted: 0, refused: 0, forbidden: 0, filed: 0 };
  const forbidden = [];
  const tally = (status) => {
    if (status === "accepted" || status === "created") counts2.accepted += 1;
    else counts2.refused += 1;
  };
  const deny = (e, target, why) => {
    counts2.forbidden += 1;
    forbidden.push({ at: e.at, by: e.by, type: e.type, target, rule: why.rule, zh: why.zh, en: why.en });
  };
  const missing = (what, id2) => reject("notFound", `${what.split("/")[0]} ${id2} \u4E0D\u5B58\u5728`, `no ${what.split("/")[1]} ${id2}`);
  const created = await campaigns.create(config, office);
  if (created.status !== "created") throw new Error(`campaign: ${JSON.stringify(created)}`);
  const flagged = (p) => {
    const { illustrative, ...project } = p;
    return illustrative === true ? { ...project, flags: { ...project.flags, illustrative: true } } : project;
  };
  for (const programme of scenario2.programmes ?? []) {
    const outcome = await engine.create("programme", { ...programme, registeredOn: today }, { actor: office });
    if (outcome.status !== "created") throw new Error(`programme ${programme.id}: ${JSON.stringify(outcome)}`);
  }
  for (const project of scenario2.projects.map(flagged)) {
    const outcome = await engine.create("project", { asOf: today, ...project }, { actor: office });
    if (outcome.status !== "created") throw new Error(`project ${project.id}: ${JSON.stringify(outcome)}`);
  }
  const apply = async (e) => {
    counts2.events += 1;
    const member = staff.get(e.by);
    const { at, by: _by, comment: _comment, ...rest } = e;
    const payload = rest;
    if (e.type === "REGISTER_PROJECT") {
      const why2 = KINDS.project.createForbidden(member);
      if (why2 !== null) return deny(e, "", why2);
      const project = flagged(payload.project);
      return void tally((await engine.create("project", { asOf: at, ...project }, { actor: member.id })).status);
    }
    if (e.type === "RECORD_ACCOUNTABILITY") {
      const unit = String(payload.unit);
      const ladder = campaigns.ladder(config.id, unit);
      const why2 = ladder === void 0 ? missing("\u5355\u4F4D/unit", unit) : KINDS.unit.forbidden(member, e.type, ladder);
      if (why2 !== null) return deny(e, unit, why2);
      return void tally(
        (await campaigns.send(config.id, { type: e.type, at, unit, reason: String(payload.reason) }, member.id)).status
      );
    }
    if (e.type === "RECORD_MEASURE") {
      const campaign = engine.get("campaign", config.id);
      const { type: _t, ...record } = payload;
      const why2 = KINDS.campaign.forbidden(member, e.type, campaign, record);
      if (why2 !== null) return deny(e, String(payload.unitId), why2);
      return void tally((await campaigns.send(config.id, { type: e.type, at, ...record }, member.id)).status);
    }
    if (e.type === "RAISE_PROBLEM") {
      const { problem, type: _t, ...input } = payload;
      const why2 = KINDS.problem.createForbidden(member);
      if (why2 !== null) return deny(e, String(problem), why2);
      return void tally(
        (await engine.create("problem", { id: problem, ...input, raisedOn: at }, { actor: member.id })).status
      );
    }
    if ("problem" in payload) {
      const { problem: id3, ...event2 } = payload;
      const problem = engine.get("problem", String(id3));
      const why2 = problem === void 0 ? missing("\u95EE\u9898/problem", String(id3)) : KINDS.problem.forbidden(member, e.type, problem);
      if (why2 !== null) return deny(e, String(id3), why2);
      return void tally((await engine.send("problem", String(id3), { ...event2, at }, { actor: member.id })).status);
    }
    if (e.type === "CORRECT") {
      const {
        project: id3,
        ref: ref2,
        reason,
        event: event2,
        void: voided
      } = payload;
      const mayNot = correctionForbidden(member);
      if (mayNot !== null) return deny(e, id3, mayNot);
      const seq = refs.get(`${id3} ${ref2}`);
      if (seq === void 0) return deny(e, id3, missing("\u4E8B\u4EF6/event", `${id3} ${ref2}`));
      const request = voided === true ? { seq, void: true, reason } : { seq, event: { at, ...event2 }, reason };
      return void tally((await engine.correct("project", id3, request, { actor: member.id })).status);
    }
    if ("filing" in payload && !("project" in payload)) {
      const { filing: fid2, type, ...rest2 } = payload;
      const filing = engine.get("filing", fid2);
      const why2 = filing === void 0 ? missing("\u586B\u62A5/filing", fid2) : KINDS.filing.forbidden(member, type, filing);
      if (why2 !== null) return deny(e, fid2, why2);
      const event2 = type === "RESUBMIT" ? { ...rest2, type, event: { at, ...rest2.event }, at } : { ...rest2, type, at };
      return review(fid2, event2, member.id);
    }
    const { project: id2, filing: named, ref, ...event } = payload;
    const unitId = engine.tags("project", String(id2))?.unitId;
    const why = unitId === void 0 ? missing("\u9879\u76EE/project", String(id2)) : projectForbidden(member, e.type, unitId, { ...event, at });
    if (why !== null) return deny(e, String(id2), why);
    const sent = { ...event, at };
    const fid = named ?? `${id2}-filing-${++generated}`;
    const filed = await filings.file(String(id2), sent, [], { actor: member.id }, fid);
    if (filed.status === "applied") {
      tally(filed.outcome.status);
      if (ref !== void 0 && filed.outcome.status === "accepted") refs.set(`${id2} ${ref}`, filed.outcome.seq);
      return;
    }
    if (filed.status !== "filed" || filed.outcome.status !== "accepted") return void tally("refused");
    counts2.filed += 1;
    if (ref !== void 0) refOfFiling.set(fid, `${id2} ${ref}`);
    if (options.approveAfterDays === 0) await autoApprove(fid, at);
    else if (options.approveAfterDays !== void 0) {
      const day = addDays(today, options.approveAfterDays);
      approvals.set(day, [...approvals.get(day) ?? [], fid]);
    }
  };
  const review = async (fid, event, actor) => {
    const outcome = await filings.review(fid, event, { actor });
    if (outcome.status !== "accepted") return void tally("refused");
    tally("accepted");
    if ("steps" in outcome && event.type === "APPROVE") {
      const applied = outcome.steps.find((step) => step.kind === "project");
      const ref = refOfFiling.get(fid);
      if (applied !== void 0 && ref !== void 0) refs.set(ref, applied.seq);
    }
  };
  const autoApprove = async (fid, at) => {
    const filing = engine.get("filing", fid);
    if (filing === void 0 || !isPending(filing.value)) return;
    const reviewer = scenario2.staff.find((m) => filing.context.reviewers.includes(m.role));
    await review(fid, { type: "APPROVE", at }, reviewer?.id ?? `${filing.context.reviewers[0]}-reviewer`);
  };
  const random = seededRandom(options.seed ?? 1);
  const byDate = /* @__PURE__ */ new Map();
  for (const e of scenario2.events) byDate.set(e.at, [...byDate.get(e.at) ?? [], e]);
  const periodEnds = new Map(campaignPeriods(config.start, config.days).map((p) => [p.to, p.month]));
  const days = Math.min(options.days ?? config.days, config.days);
  for (const [date2, events2] of [...byDate].filter(([d]) => d < config.start).sort()) {
    today = date2;
    for (const e of dayOrder(events2, random, projectOfFiling)) await apply(e);
  }
  today = config.start;
  await campaigns.send(config.id, { type: "START", at: config.start }, office);
  for (let day = 1; day <= days; day++) {
    today = addDays(config.start, day - 1);
    for (const fid of approvals.get(today) ?? []) await autoApprove(fid, today);
    for (const e of dayOrder(byDate.get(today) ?? [], random, projectOfFiling)) await apply(e);
    const month = periodEnds.get(today);
    if (month !== void 0) await campaigns.send(config.id, { type: "SUPERVISE", month, at: today }, office);
    options.onDay?.(day, days, today);
  }
  if (days === config.days) {
    const end = campaignEnd(config.start, config.days);
    await campaigns.send(config.id, { type: "ASSESS", at: end }, office);
    await campaigns.send(config.id, { type: "CLOSE", at: end }, office);
  }
  const report = await campaigns.report(config.id);
  return { report, counts: counts2, forbidden, engine };
}

// engine/scenario.ts
import { z as z9 } from "zod";
var date = z9.string().refine(isIsoDate, "expected YYYY-MM-DD");
var id = z9.string().refine(isSafeId, SAFE_ID_RULE.en);
var ProjectSchema = ProjectInputSchema.extend({
  illustrative: z9.boolean().optional().describe("true for projects invented to reach the article\u2019s scale")
});
var common = { at: date, by: id, comment: z9.string().optional().describe("a remark for people; not sent") };
var ProjectEventSchema2 = z9.looseObject({
  ...common,
  project: id,
  type: z9.string().min(1),
  filing: id.optional().describe("the filing\u2019s id, when the campaign reviews this type (default: generated)"),
  ref: id.optional().describe("a name for this event, for a later CORRECT to point at")
});
var FilingStepSchema = z9.strictObject({
  ...common,
  type: z9.enum(["APPROVE", "RETURN", "RESUBMIT", "WITHDRAW"]),
  filing: id,
  reason: z9.string().optional(),
  note: z9.string().optional(),
  event: z9.looseObject({ type: z9.string() }).optional().describe("RESUBMIT: the event as filed again (without at)")
});
var CorrectionStepSchema = z9.strictObject({
  ...common,
  type: z9.literal("CORRECT"),
  project: id,
  ref: id,
  event: z9.looseObject({ type: z9.string() }).optional(),
  void: z9.literal(true).optional(),
  reason: z9.string().min(1)
});
var ProblemRaiseSchema = z9.strictObject({
  ...common,
  type: z9.literal("RAISE_PROBLEM"),
  problem: id,
  projectId: id,
  title: z9.string(),
  source: z9.enum(PROBLEM_SOURCES),
  raisedBy: z9.string().optional()
});
var ProblemEventSchema2 = z9.looseObject({
  ...common,
  problem: id,
  type: z9.enum(["ASSIGN", "RESOLVE", "VERIFY", "REOPEN"])
});
var AccountabilitySchema = z9.strictObject({
  ...common,
  type: z9.literal("RECORD_ACCOUNTABILITY"),
  unit: id,
  reason: z9.string()
});
var RegisterSchema = z9.strictObject({ ...common, type: z9.literal("REGISTER_PROJECT"), project: ProjectSchema });
var MeasureSchema = z9.strictObject({
  ...common,
  type: z9.literal("RECORD_MEASURE"),
  measure: z9.enum(MEASURES),
  unitId: id,
  count: z9.number().int().min(1).max(1e4).default(1),
  note: z9.string().min(1).max(500)
});
var ScenarioEventSchema = z9.union([
  FilingStepSchema,
  CorrectionStepSchema,
  RegisterSchema,
  MeasureSchema,
  ProblemRaiseSchema,
  ProblemEventSchema2,
  AccountabilitySchema,
  ProjectEventSchema2
]);
var ScenarioSchema = z9.strictObject({
  format: z9.literal("gongjian-scenario/1"),
  description: z9.string().optional(),
  source: z9.string().optional(),
  // The campaign's own settings, exactly as registering it over HTTP takes them (units and
  // targets come in their own sections).
  campaign: CampaignInputSchema.omit({ units: true, targets: true }),
  units: z9.array(z9.strictObject({ id, name: z9.string().min(1), group: z9.enum(UNIT_GROUPS) })).min(1),
  staff: z9.array(z9.strictObject({ id, name: z9.string(), role: z9.enum(ROLES), unitId: id.optional() })).min(1),
  targets: z9.record(z9.string(), z9.record(z9.string(), z9.partialRecord(z9.enum(TASKS), z9.number().min(0)))),
  /** Programmes (项目群) the projects may belong to (`programmeId`); registered first. */
  programmes: z9.array(ProgrammeInputSchema.omit({ registeredOn: true })).optional(),
  projects: z9.array(ProjectSchema),
  events: z9.array(ScenarioEventSchema)
});
var arrayOf = (x) => Array.isArray(x) ? x.map((v) => typeof v === "object" && v !== null ? v : {}) : [];
function crossCheck(raw) {
  const problems = [];
  const add = (path, en, zh) => problems.push({ path, en, zh });
  if (typeof raw !== "object" || raw === null) return problems;
  const s = raw;
  const unitsRaw = arrayOf(s.units);
  const units = new Set(unitsRaw.map((u) => u.id));
  const staffRaw = arrayOf(s.staff);
  const staff = new Set(staffRaw.map((m) => m.id));
  const projectsRaw = arrayOf(s.projects);
  const projects2 = new Set(projectsRaw.map((p) => p.id));
  const campaign = typeof s.campaign === "object" && s.campaign !== null ? s.campaign : {};
  for (const p of KINDS.campaign.validate({ ...campaign, units: s.units, targets: s.targets }))
    add(
      p.field.startsWith("units") || p.field.startsWith("targets") ? p.field.split(".") : ["campaign", ...p.field.split(".")],
      p.en,
      p.zh
    );
  const programmesRaw = arrayOf(s.programmes);
  const programmes = new Set(programmesRaw.map((p) => p.id));
  programmesRaw.forEach((p, i) => {
    for (const [j, unitId] of (Array.isArray(p.unitIds) ? p.unitIds : []).entries())
      if (!units.has(unitId))
        add(["programmes", i, "unitIds", j], `unknown unit ${String(unitId)}`, `\u6CA1\u6709\u5355\u4F4D ${String(unitId)}`);
  });
  const checkProject = (p, path) => {
    const { illustrative: _illustrative, ...input } = p;
    const asOf = isIsoDate(campaign.start) ? addDays(campaign.start, -1) : void 0;
    for (const problem of KINDS.project.validate({ ...asOf === void 0 ? {} : { asOf }, ...input }))
      add([...path, ...problem.field.split(".").filter((f) => f !== "")], problem.en, problem.zh);
    if (typeof p.unitId === "string" && !units.has(p.unitId))
      add([...path, "unitId"], `unknown unit ${p.unitId}`, `\u6CA1\u6709\u5355\u4F4D ${p.unitId}`);
    if (p.programmeId !== void 0 && !programmes.has(p.programmeId))
      add(
        [...path, "programmeId"],
        `unknown programme ${String(p.programmeId)} (list it under "programmes")`,
        `\u6CA1\u6709\u9879\u76EE\u7FA4 ${String(p.programmeId)}`
      );
  };
  for (const [i, p] of projectsRaw.entries()) checkProject(p, ["projects", i]);
  staffRaw.forEach((m, i) => {
    if (m.unitId !== void 0 && !units.has(m.unitId))
      add(["staff", i, "unitId"], `unknown unit ${String(m.unitId)}`, `\u6CA1\u6709\u5355\u4F4D ${String(m.unitId)}`);
    if (m.role === "unit" && m.unitId === void 0)
      add(
        ["staff", i, "unitId"],
        "unit staff need the unit they work for (unitId)",
        "\u8D23\u4EFB\u5355\u4F4D\u7ECF\u529E\u5458\u987B\u586B\u5199\u6240\u5C5E\u5355\u4F4D(unitId)"
      );
  });
  const days = campaign.days;
  const end = isIsoDate(campaign.start) && Number.isInteger(days) && days >= 1 && days <= 366 ? campaignEnd(campaign.start, days) : null;
  const problemIds = /* @__PURE__ */ new Set();
  const filingIds = /* @__PURE__ */ new Set();
  const refs = /* @__PURE__ */ new Set();
  const events2 = arrayOf(s.events);
  events2.forEach((e, i) => {
    const at = e.at;
    if (typeof e.by === "string" && !staff.has(e.by))
      add(["events", i, "by"], `unknown staff member ${e.by}`, `\u6CA1\u6709\u4EBA\u5458 ${e.by}`);
    if (end !== null && typeof at === "string" && at > end)
      add(["events", i, "at"], `${at} is after the campaign's last day, ${end}`, `${at} \u665A\u4E8E\u653B\u575A\u671F\u6700\u540E\u4E00\u5929 ${end}`);
    const previous = events2[i - 1]?.at;
    if (typeof at === "string" && typeof previous === "string" && at < previous)
      add(
        ["events", i, "at"],
        `events must be in date order (${at} after ${previous})`,
        `\u4E8B\u4EF6\u987B\u6309\u65E5\u671F\u6392\u5217(${at} \u6392\u5728 ${previous} \u4E4B\u540E)`
      );
    const { at: _at, by: _by, comment: _comment, project, problem, filing, ref, ...payload } = e;
    if (typeof filing === "string" && ["APPROVE", "RETURN", "RESUBMIT", "WITHDRAW"].includes(String(e.type))) {
      if (!filingIds.has(filing))
        add(
          ["events", i, "filing"],
          `unknown filing ${filing} (name it with "filing" on the event filed)`,
          `\u6CA1\u6709\u586B\u62A5 ${filing}`
        );
      return;
    }
    switch (e.type) {
      case "CORRECT":
        if (!refs.has(`${String(project)} ${String(ref)}`))
          add(
            ["events", i, "ref"],
            `no earlier event of project ${String(project)} named ${String(ref)}`,
            `\u9879\u76EE ${String(project)} \u6CA1\u6709\u540D\u4E3A ${String(ref)} \u7684\u4E8B\u4EF6`
          );
        if (e.event === void 0 === (e.void === void 0))
          add(
            ["events", i],
            "a correction gives either the corrected event or void: true",
            "\u66F4\u6B63\u987B\u7ED9\u51FA\u66F4\u6B63\u540E\u7684\u4E8B\u4EF6\u6216\u4F5C\u5E9F,\u4E8C\u8005\u9009\u4E00"
          );
        return;
      case "REGISTER_PROJECT": {
        const p = typeof project === "object" && project !== null ? project : {};
        checkProject(p, ["events", i, "project"]);
        projects2.add(p.id);
        return;
      }
      case "RAISE_PROBLEM":
        problemIds.add(problem);
        if (!projects2.has(e.projectId))
          add(["events", i, "projectId"], `unknown project ${String(e.projectId)}`, `\u6CA1\u6709\u9879\u76EE ${String(e.projectId)}`);
        return;
      case "RECORD_MEASURE": {
        if (!units.has(e.unitId))
          add(["events", i, "unitId"], `unknown unit ${String(e.unitId)}`, `\u6CA1\u6709\u5355\u4F4D ${String(e.unitId)}`);
        const parsed = KINDS.campaign.eventSchema.safeParse({ count: 1, ...payload, unitId: e.unitId, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(["events", i, ...issue.path.map(pathKey)], issue.message);
        return;
      }
      case "RECORD_ACCOUNTABILITY":
        if (!units.has(e.unit))
          add(["events", i, "unit"], `unknown unit ${String(e.unit)}`, `\u6CA1\u6709\u5355\u4F4D ${String(e.unit)}`);
        return;
      case "ASSIGN":
      case "RESOLVE":
      case "VERIFY":
      case "REOPEN": {
        if (!problemIds.has(problem))
          add(["events", i, "problem"], `unknown problem ${String(problem)}`, `\u6CA1\u6709\u95EE\u9898 ${String(problem)}`);
        if (e.type === "ASSIGN" && !units.has(e.unitId))
          add(["events", i, "unitId"], `unknown unit ${String(e.unitId)}`, `\u6CA1\u6709\u5355\u4F4D ${String(e.unitId)}`);
        const parsed = KINDS.problem.eventSchema.safeParse({ ...payload, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(["events", i, ...issue.path.map(pathKey)], issue.message);
        return;
      }
      default: {
        if (filing !== void 0) filingIds.add(filing);
        if (typeof ref === "string") refs.add(`${String(project)} ${ref}`);
        if (!projects2.has(project))
          add(["events", i, "project"], `unknown project ${String(project)}`, `\u6CA1\u6709\u9879\u76EE ${String(project)}`);
        const parsed = KINDS.project.eventSchema.safeParse({ ...payload, at });
        if (!parsed.success)
          for (const issue of parsed.error.issues) add(["events", i, ...issue.path.map(pathKey)], issue.message);
      }
    }
  });
  return problems;
}
var pathKey = (k) => typeof k === "number" ? k : String(k);
function describe(raw, path) {
  const [section, index, ...rest] = path;
  const item = typeof index === "number" ? arrayOf(raw?.[section])[index] : void 0;
  let where = path.join(".") || "(root)";
  if (item !== void 0 && section === "events") where = `events #${index} (${String(item.at)} ${String(item.type)})`;
  if (item !== void 0 && (section === "projects" || section === "units" || section === "staff"))
    where = `${section} #${index} (${String(item.id)})`;
  return item === void 0 || rest.length === 0 ? where : `${where}.${rest.join(".")}`;
}
function parseScenario(json) {
  const result = ScenarioSchema.safeParse(json);
  const problems = [
    ...result.success ? [] : result.error.issues.map((i) => ({ path: i.path.map(pathKey), en: i.message })),
    ...crossCheck(json)
  ];
  const shapeWrong = new Set(result.success ? [] : result.error.issues.map((i) => i.path.map(pathKey).join(".")));
  const seen = /* @__PURE__ */ new Set();
  const lines = problems.filter((p, i) => i < (result.success ? 0 : result.error.issues.length) || !shapeWrong.has(p.path.join("."))).map((p) => `  ${describe(json, p.path)}: ${p.en}${p.zh === void 0 ? "" : ` / ${p.zh}`}`).filter((line) => !seen.has(line) && seen.add(line));
  if (result.success && lines.length === 0) return result.data;
  const shown = lines.slice(0, 50);
  const more = lines.length > shown.length ? `
  \u2026 and ${lines.length - shown.length} more / \u53E6\u6709 ${lines.length - shown.length} \u5904` : "";
  throw new Error(`invalid scenario (${lines.length} problem(s)) / \u573A\u666F\u6587\u4EF6\u6709\u8BEF:
${shown.join("\n")}${more}`);
}

// engine/generate.ts
var GROUP_SHARE = [
  ["township", 0.5],
  ["department", 0.25],
  ["soe", 0.15],
  ["park", 0.1]
];
var STAGE_WEIGHTS = [
  ["negotiating", 0.25],
  ["signed", 0.25],
  ["underConstruction", 0.25],
  ["completed", 0.08],
  ["inProduction", 0.12],
  ["atTarget", 0.05]
];
var NAMES = [
  "\u65B0\u6750\u6599",
  "\u519C\u4EA7\u54C1\u52A0\u5DE5",
  "\u7535\u5B50\u4FE1\u606F",
  "\u51B7\u94FE\u7269\u6D41",
  "\u5EB7\u517B",
  "\u88C5\u5907\u5236\u9020",
  "\u5149\u4F0F",
  "\u6587\u65C5",
  "\u6807\u51C6\u5382\u623F",
  "\u4F9B\u6C34",
  "\u9053\u8DEF\u63D0\u8D28",
  "\u5B66\u6821\u6269\u5BB9"
];
function generateScenario(options) {
  const random = seededRandom(options.seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const weighted = (pairs) => {
    let r5 = random() * pairs.reduce((a, [, w]) => a + w, 0);
    for (const [value, w] of pairs) {
      r5 -= w;
      if (r5 <= 0) return value;
    }
    return pairs.at(-1)[0];
  };
  const start = options.start ?? "2022-08-01";
  const days = options.days ?? 100;
  const unitCount = Math.max(4, options.units);
  const units = Array.from({ length: unitCount }, (_, i) => {
    const group = i < UNIT_GROUPS.length ? UNIT_GROUPS[i] : weighted(GROUP_SHARE);
    return {
      id: `u${i + 1}`,
      name: `${group === "township" ? "\u4E61\u9547" : group === "department" ? "\u53BF\u76F4\u90E8\u95E8" : group === "soe" ? "\u56FD\u4F01" : "\u56ED\u533A"}${i + 1}`,
      group
    };
  });
  const staff = [
    { id: "hq-1", name: "\u4E09\u9AD8\u529E", role: "hq" },
    { id: "finance-1", name: "\u8D22\u653F\u5C40", role: "finance" },
    { id: "stats-1", name: "\u7EDF\u8BA1\u5C40", role: "stats" },
    ...units.map((u) => ({ id: `${u.id}-staff`, name: `${u.name}\u7ECF\u529E\u5458`, role: "unit", unitId: u.id }))
  ];
  const projects2 = [];
  const events2 = [];
  const planned = /* @__PURE__ */ new Map();
  const periods = campaignPeriods(start, days);
  const monthOf2 = (date2) => periods.find((p) => date2 >= p.from && date2 <= p.to)?.month;
  const plan = (unitId, at, task, amount) => {
    const month = monthOf2(at);
    if (month !== void 0)
      planned.set(`${unitId}|${month}|${task}`, (planned.get(`${unitId}|${month}|${task}`) ?? 0) + amount);
  };
  for (let i = 0; i < options.projects; i++) {
    const unit = pick(units);
    const stage = weighted(STAGE_WEIGHTS);
    const built = !["negotiating", "signed"].includes(stage);
    const investment = Math.round((random() < 0.2 ? 1e4 + random() * 4e4 : 500 + random() * 9e3) / 10) * 10;
    const land = stage !== "completed" && stage !== "inProduction" && stage !== "atTarget" && random() < 0.35 ? { requiredMu: Math.round(20 + random() * 200), houses: Math.floor(random() * 12) } : void 0;
    const bond = built && random() < 0.25 ? { allocated: Math.round(500 + random() * 5e3), disbursed: 0 } : void 0;
    const input = {
      id: `p${i + 1}`,
      name: `${unit.name}${pick(NAMES)}\u9879\u76EE${i + 1}`,
      unitId: unit.id,
      plannedInvestment: investment,
      stage,
      permits: built ? [...PERMIT_KEYS] : stage === "signed" && random() < 0.5 ? [...PERMIT_KEYS] : [],
      ...land ? { land } : {},
      ...bond ? { bond } : {},
      ...["completed", "inProduction", "underConstruction"].includes(stage) ? { outputTarget: Math.round(100 + random() * 900) } : {},
      ...random() < 0.12 ? { flags: { xiangshang: true } } : {},
      ...built && investment >= 500 && random() < 0.6 ? { statsRegistered: true } : {}
    };
    projects2.push(input);
    const by = `${unit.id}-staff`;
    let day = Math.floor(random() * 20);
    const next = () => {
      day = Math.min(days - 1, day + 1 + Math.floor(random() * 15));
      return addDays(start, day);
    };
    const send = (at, type, payload = {}, who = by) => events2.push({ at, by: who, project: input.id, type, ...payload });
    let current = stage;
    let landLeft = land?.requiredMu ?? 0;
    let housesLeft = land?.houses ?? 0;
    if (current === "negotiating" && random() < 0.6) {
      const at = next();
      send(at, "SIGN", { contractAmount: investment });
      plan(unit.id, at, "signed", 1);
      current = "signed";
    }
    if (land && random() < 0.8) {
      for (let k = 0; k < 3 && landLeft > 0; k++) {
        const mu2 = k === 2 ? landLeft : Math.round(landLeft * (0.3 + random() * 0.4));
        const houses2 = k === 2 ? housesLeft : Math.floor(housesLeft / 2);
        if (mu2 <= 0 && houses2 <= 0) continue;
        const at = next();
        send(at, "REPORT_CLEARANCE", { mu: mu2, houses: houses2 });
        plan(unit.id, at, "landMu", mu2);
        plan(unit.id, at, "housesDemolished", houses2);
        landLeft -= mu2;
        housesLeft -= houses2;
      }
    }
    if (current === "signed" && random() < 0.1) send(next(), "START_CONSTRUCTION");
    if (current === "signed" && input.permits?.length === 4 && (land === void 0 || landLeft <= 0) && random() < 0.7) {
      const at = next();
      send(at, "START_CONSTRUCTION");
      plan(unit.id, at, "started", 1);
      current = "underConstruction";
    }
    if (current === "underConstruction" && input.statsRegistered !== true && investment >= 500 && random() < 0.5) {
      const at = next();
      send(at, "REGISTER_STATS", {}, "stats-1");
      plan(unit.id, at, "registered", 1);
    }
    if (bond) {
      let open7 = bond.allocated;
      for (let k = 0; k < 2; k++) {
        const amount = k === 1 && random() < 0.15 ? open7 + 100 : Math.round(open7 * (0.3 + random() * 0.5));
        const at = next();
        send(at, "DISBURSE_BOND", { amount }, "finance-1");
        if (amount <= open7) {
          plan(unit.id, at, "bondDisbursed", amount);
          open7 -= amount;
        }
      }
    }
    if (current === "underConstruction" && stage === "underConstruction" && random() < 0.3) {
      const at = next();
      send(at, "COMPLETE");
      plan(unit.id, at, "completed", 1);
      current = "completed";
    }
    if (current === "completed" && random() < 0.5) {
      const at = next();
      send(at, "START_PRODUCTION");
      if (stage === "completed") plan(unit.id, at, "intoProduction", 1);
      current = "inProduction";
    }
    if (current === "inProduction" && input.outputTarget !== void 0) {
      const at = next();
      const month = `${addDays(at, -31).slice(0, 7)}`;
      const reaches = random() < 0.5;
      send(at, "REPORT_OUTPUT", { month, output: Math.round(input.outputTarget * (reaches ? 1.05 : 0.8)) });
      if (reaches && stage === "inProduction") plan(unit.id, at, "reachedTarget", 1);
    }
  }
  events2.sort((a, b) => a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  const targets = {};
  for (const [key, amount] of [...planned].sort(([a], [b]) => a < b ? -1 : 1)) {
    const [unitId, month, task] = key.split("|");
    const target = Math.max(1, Math.round(amount * (random() < 0.2 ? 1.3 : 0.9)));
    targets[unitId] ??= {};
    targets[unitId][month] ??= {};
    targets[unitId][month][task] = target;
  }
  return {
    format: "gongjian-scenario/1",
    description: `generated: ${options.projects} projects, ${unitCount} units, seed ${options.seed}`,
    campaign: { id: `generated-${options.seed}`, name: `\u751F\u6210\u7684\u653B\u575A\u884C\u52A8 ${options.seed}`, start, days },
    units,
    staff,
    targets,
    projects: projects2,
    events: events2
  };
}

// engine/passwords.ts
var COST = { N: 2 ** 15, r: 8, p: 1 };

// engine/staff-audit.ts
var GENESIS = "0".repeat(64);

// cli/heap-growth.ts
import { setFlagsFromString } from "node:v8";
var HEAP_GROWTH_FLAG = "--heap-growing-percent=100";
function heapGrowthFlag(execArgv, nodeOptions) {
  const chosen = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  const own = chosen.some((flag) => /^--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size)(=|$)/.test(flag));
  return own ? null : HEAP_GROWTH_FLAG;
}
function boundHeapGrowth() {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag !== null) setFlagsFromString(flag);
}

// bench/simulate.ts
boundHeapGrowth();
var { values } = parseArgs({
  options: {
    projects: { type: "string", default: "10000" },
    skip: { type: "string", default: "" },
    rounds: { type: "string", default: "3" }
  }
});
var projects = Number(values.projects);
var rounds = Number(values.rounds);
var scenario = parseScenario(generateScenario({ projects, units: 60, seed: 11 }));
setFlagsFromString2("--expose-gc");
var collect = runInNewContext("gc");
function baseline(entries2) {
  collect();
  const started = performance.now();
  const actors = /* @__PURE__ */ new Map();
  for (const entry of entries2) {
    const key = `${entry.entity} ${entry.id}`;
    if (entry.kind === "create") {
      const kind = kindOf(entry.entity);
      const snapshot = kind.initial(migrateInput(kind, entry.machineVersion, entry.input, { records: () => [] }));
      actors.set(key, createActor3(kind.machine, { snapshot: restorable(snapshot) }).start());
    } else if (entry.kind === "event" || entry.kind === "refusal") {
      actors.get(key)?.send(entry.event);
    }
  }
  return (performance.now() - started) / 1e3;
}
var simulated = [];
var baselines = [];
var entries = [];
var counts = { events: 0 };
for (let round = 0; round < rounds; round++) {
  entries = [];
  collect();
  const started = performance.now();
  const run = await simulate(scenario);
  simulated.push((performance.now() - started) / 1e3);
  counts = run.counts;
  for await (const entry of run.engine.store.entries()) entries.push(entry);
  await run.engine.close();
  baselines.push(baseline(entries));
  console.log(
    `round ${round + 1}: simulate ${simulated.at(-1).toFixed(2)} s, bare XState ${baselines.at(-1).toFixed(2)} s`
  );
}
var median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
var seconds = median(simulated);
var baselineSeconds = median(baselines);
var durableSeconds = Number.NaN;
if (!values.skip.split(",").includes("durable")) {
  const dir = await mkdtemp(join5(tmpdir(), "gongjian-simulate-"));
  collect();
  const durableStarted = performance.now();
  const durable = await simulate(scenario, { store: new FileStore(dir, { sync: "close" }) });
  await durable.engine.close();
  durableSeconds = (performance.now() - durableStarted) / 1e3;
  await rm5(dir, { recursive: true, force: true });
}
var events = entries.filter((e) => e.kind === "event" || e.kind === "refusal").length;
var peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
var overheadFactor = seconds / baselineSeconds;
console.log(
  `${projects.toLocaleString("en")} projects, ${counts.events.toLocaleString("en")} scenario events, ${entries.length.toLocaleString("en")} journal entries (${events.toLocaleString("en")} events sent to machines)`
);
console.log(`simulate, in memory        ${seconds.toFixed(2).padStart(6)} s   (median of ${rounds})`);
console.log(`simulate, durable (--data) ${durableSeconds.toFixed(1).padStart(6)} s`);
console.log(
  `bare XState actors         ${baselineSeconds.toFixed(2).padStart(6)} s   overhead \xD7${overheadFactor.toFixed(2)}`
);
console.log(`peak RSS                   ${peakRssMb} MB`);
console.log(
  JSON.stringify({
    projects,
    events,
    seconds: Number(seconds.toFixed(2)),
    durableSeconds: Number(durableSeconds.toFixed(2)),
    baselineSeconds: Number(baselineSeconds.toFixed(2)),
    overheadFactor: Number(overheadFactor.toFixed(2)),
    peakRssMb
  })
);
