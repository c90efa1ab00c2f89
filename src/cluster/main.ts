/**
 * CLI: starts a local cluster and keeps it running until SIGINT/SIGTERM.
 *
 *   npx tsx src/cluster/main.ts --agents 3 --port 5050 [--host 127.0.0.1] [--scenario demo|empty|small|large|massive|gigantic]
 *                               [--seed 1] [--work-dir DIR] [--cluster-name NAME] [--verbose]
 *                               [--masters 3] [--zk zk://127.0.0.1:2181/mesos]
 *                               [--marathon-port 8080 | --no-marathon] [--mesos-dns [--mesos-dns-port N]]
 *                               [--chronos [--chronos-port N]]
 *                               [--max_completed_tasks_per_framework 1000]
 */
import { parseArgs } from 'node:util';
import { startCluster } from './index';
import type { ScenarioName } from './index';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '3' },
    port: { type: 'string', default: '5050' },
    host: { type: 'string', default: '127.0.0.1' },
    scenario: { type: 'string', default: 'demo' },
    seed: { type: 'string', default: '1' },
    'work-dir': { type: 'string' },
    'cluster-name': { type: 'string' },
    masters: { type: 'string', default: '1' },
    zk: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    // The local Marathon: on 8080 when free (else any free port); 0 = any free port.
    'marathon-port': { type: 'string' },
    'no-marathon': { type: 'boolean', default: false },
    'mesos-dns': { type: 'boolean', default: false },
    'mesos-dns-port': { type: 'string', default: '0' },
    chronos: { type: 'boolean', default: false },
    'chronos-port': { type: 'string', default: '0' },
    max_completed_tasks_per_framework: { type: 'string', default: '1000' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: tsx src/cluster/main.ts [options]
  --agents N          agents to start (default 3)
  --port N            the master's port (default 5050)
  --host ADDR         address to listen on (default 127.0.0.1)
  --scenario NAME     demo, empty, parity, hostile, small, large, massive or gigantic
                      (default demo)
  --seed N            seed of the scenario's ids and names (default 1)
  --work-dir DIR      where sandboxes and logs go (default: a temporary directory)
  --cluster-name NAME the cluster's name in its state
  --masters N         masters (more than one: one leads, the others stand by)
  --zk URL            elect the leader in this ZooKeeper (zk://host:port/path)
  --max_completed_tasks_per_framework N
                      ended tasks each framework's list keeps, as Mesos's master flag (default 1000)
  --verbose           print the master's log lines`);
  process.exit(0);
}
const maxCompleted = Number(values.max_completed_tasks_per_framework);
if (!Number.isInteger(maxCompleted) || maxCompleted < 0) {
  console.error('--max_completed_tasks_per_framework must be a whole number');
  process.exit(2);
}

const cluster = await startCluster({
  agents: Number(values.agents),
  masterPort: Number(values.port),
  host: values.host,
  scenario: values.scenario as ScenarioName,
  seed: Number(values.seed),
  workDir: values['work-dir'],
  clusterName: values['cluster-name'],
  masters: Number(values.masters),
  zk: values.zk,
  marathon: values['no-marathon']
    ? false
    : { ...(values['marathon-port'] !== undefined ? { port: Number(values['marathon-port']) } : {}) },
  maxCompletedTasksPerFramework: maxCompleted,
  log: values.verbose ? (line) => console.log(line) : undefined,
  mesosDns: values['mesos-dns'] && { port: Number(values['mesos-dns-port']) },
  chronos: values.chronos && { port: Number(values['chronos-port']) },
});

for (const url of cluster.masterUrls) console.log(`Mesos master: ${url}`);
if (cluster.marathonUrl) console.log(`Marathon: ${cluster.marathonUrl}`);
if (cluster.agents.length <= 10)
  for (const agent of cluster.agents) console.log(`Agent ${agent.id}: ${agent.url}`);
else console.log(`${cluster.agents.length} agents, e.g. ${cluster.agents[0]?.id}: ${cluster.agents[0]?.url}`);
if (cluster.mesosDns)
  console.log(
    `Mesos-DNS: ${cluster.mesosDns.dnsAddress} (DNS, UDP and TCP), ${cluster.mesosDns.httpUrl} (HTTP)`,
  );
if (cluster.chronos) console.log(`Chronos: ${cluster.chronos.url}`);
console.log(`Work dir: ${cluster.workDir}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`Received ${signal}, shutting down`);
  void cluster.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
