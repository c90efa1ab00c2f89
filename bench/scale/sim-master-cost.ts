/**
 * What a churning scale scenario costs its master process: CPU per minute and RSS over a window of churn,
 * and how long the allocator's passes take (those the churn runs, and one pass over every agent at the end).
 *
 *   npx tsx bench/scale/sim-master-cost.ts <small|large|massive|...> [window seconds, default 60]
 */
import { startScaleCluster } from '../../src/cluster';
import type { ScaleScenarioName } from '../../src/cluster';

const scenario = (process.argv[2] ?? 'large') as ScaleScenarioName;
const windowSecs = Number(process.argv[3] ?? 60);
const warmupSecs = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

const startedAt = Date.now();
const cluster = await startScaleCluster({ scenario, seed: 1 });
const seededSecs = (Date.now() - startedAt) / 1000;
const { sim } = cluster;
const { allocator } = sim;

// The passes the churn runs, as the allocator reports them.
const passes: { ms: number; agents: number; offers: number }[] = [];
const allocate = allocator.allocate.bind(allocator);
allocator.allocate = (options) => {
  const batch = allocate(options);
  if (allocator.lastPass.agents > 0) passes.push({ ...allocator.lastPass });
  return batch;
};

await sleep(warmupSecs * 1000);
passes.length = 0;
const launchesBefore = sim.counters.launchTasks;
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
let rssMax = 0;
for (let s = 0; s < windowSecs; s++) {
  await sleep(1000);
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
}
const cpu = process.cpuUsage(cpuBefore);
const wallSecs = (performance.now() - wallBefore) / 1000;
const cpuSecsPerMinute = ((cpu.user + cpu.system) / 1e6) * (60 / wallSecs);
const rssEnd = process.memoryUsage().rss;
const launched = sim.counters.launchTasks - launchesBefore;
const outstanding = sim.offers.size;

// One pass over every agent, as an unbounded sweep would make each second.
allocator.configure({ sweepAgents: Infinity });
allocator.allocate();
const fullPass = { ...allocator.lastPass };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);
const ms = passes.map((p) => p.ms);
const rows: [string, string][] = [
  ['seeding (s)', seededSecs.toFixed(1)],
  [`CPU per minute of churn (s, over ${Math.round(wallSecs)} s)`, cpuSecsPerMinute.toFixed(2)],
  ['RSS at the end / max (MB)', `${mb(rssEnd)} / ${mb(rssMax)}`],
  ['tasks launched in the window', String(launched)],
  ['outstanding offers at the end', String(outstanding)],
  ['allocation passes in the window', String(passes.length)],
  ['pass p50 / p99 / max (ms)', [0.5, 0.99, 1].map((q) => quantile(ms, q).toFixed(2)).join(' / ')],
  ['agents visited per pass, mean', mean(passes.map((p) => p.agents)).toFixed(0)],
  ['offers made per pass, mean', mean(passes.map((p) => p.offers)).toFixed(1)],
  [
    `one pass over all ${fullPass.agents} agents (ms; offers)`,
    `${fullPass.ms.toFixed(1)}; ${fullPass.offers}`,
  ],
];
console.log(
  `\n${scenario}: ${sim.agents.length} agents, ${sim.frameworks.size} frameworks, ${sim.tasksById.size} live tasks`,
);
console.log('| measure | value |\n|---|---|');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
await cluster.close();
process.exit(0);
