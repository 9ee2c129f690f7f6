import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { generateScenario, parseScenario, simulate } from '../engine/index.ts';
import { boundHeapGrowth } from '../cli/heap-growth.ts';
boundHeapGrowth();
const scenario = parseScenario(generateScenario({ projects: 10000, units: 60, seed: 11 }));
// warm
for (let i = 0; i < 2; i++) { const r = await simulate(scenario); await r.engine.close(); }
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t = performance.now();
for (let i = 0; i < 3; i++) { const r = await simulate(scenario); await r.engine.close(); }
console.log('3 sims', ((performance.now() - t) / 1000).toFixed(2), 's');
const { profile } = await session.post('Profiler.stop');
writeFileSync(process.argv[2] ?? '/tmp/h/sim.cpuprofile', JSON.stringify(profile));
