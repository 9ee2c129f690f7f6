// The 10,000-project generated campaign simulated in memory, timed (profile it with
// NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof").  Run: npx tsx bench/simulate.ts [projects]
import { generateScenario, simulate } from '../engine/index.ts';

const projects = Number(process.argv[2] ?? 10_000);
const scenario = generateScenario({ projects, units: 60, seed: 11 });
const started = performance.now();
const { counts } = await simulate(scenario);
const seconds = (performance.now() - started) / 1000;
console.log(
  `${projects.toLocaleString('en')} projects, ${counts.events.toLocaleString('en')} events: ` +
    `${seconds.toFixed(1)} s in memory, ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS`,
);
