/**
 * `npm start`: serves the dashboard, over the embedded local cluster unless --master names a real one.
 * Listens, logs where, and shuts everything down (tasks included) on SIGINT/SIGTERM, within --shutdown-timeout
 * plus a short grace even when a client keeps a download open.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalCluster } from '../cluster';
import { isScaleScenario } from '../cluster/scenarios/scale/scale-spec';
import { buildApp } from './app';
import { ConfigError, parseConfig, USAGE } from './config';
import { tuneHeap } from './heap-growth';
import { MarathonClient } from './marathon/marathon-client';
import { loadMarathonCredentials } from './marathon/marathon-credentials';
import { Marathons } from './marathon/marathons';
import { ClusterPoller } from './reading/cluster-poller';
import { acceptedHosts, HtpasswdError, HtpasswdUsers, loggerOptions } from './plugins';
import type { AccessControl } from './plugins';
import { LeaderDiscovery } from './upstream/leader-discovery';
import { parseMasterSource, sourceLabels, sourceUsesTls } from './upstream/master-source';
import type { MasterSource } from './upstream/master-source';
import { MesosClient } from './upstream/mesos-client';
import { MesosDnsClient } from './upstream/mesos-dns-client';
import { loadUpstreamFiles, UpstreamFileError } from './upstream/upstream-secrets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

async function main(): Promise<void> {
  tuneHeap();
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mesoscope: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }

  let access: AccessControl;
  try {
    access =
      config.access.kind === 'htpasswd'
        ? { kind: 'htpasswd', users: HtpasswdUsers.fromFile(config.access.file) }
        : config.access;
  } catch (error) {
    if (error instanceof HtpasswdError) {
      process.stderr.write(`mesoscope: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  let upstreamFiles;
  try {
    upstreamFiles = loadUpstreamFiles(config.upstream);
  } catch (error) {
    if (error instanceof UpstreamFileError) {
      process.stderr.write(`mesoscope: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  let marathonCredentials;
  try {
    marathonCredentials = loadMarathonCredentials(
      config.upstream.marathonCredentialsFile,
      process.env['MESOSCOPE_MARATHON_CREDENTIALS'],
    );
  } catch (error) {
    if (error instanceof UpstreamFileError) {
      process.stderr.write(`mesoscope: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  // A signal while starting up is acted on once there is something to shut down; a second one exits at once.
  let pendingSignal: string | null = null;
  let onSignal = (signal: string): void => {
    if (pendingSignal) process.exit(1);
    pendingSignal = signal;
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  let cluster: LocalCluster | null = null;
  let source: MasterSource | null = config.upstream.source;
  let localZk = config.localZk;
  if (source === null) {
    try {
      // Loaded only to start one: reading a real cluster does not wait for the local cluster's code.
      const [{ startCluster }, { clusterFileOptions, installClusterFileWork, readClusterFile }] =
        await Promise.all([import('../cluster'), import('../cluster/cluster-file')]);
      const clusterFile = config.clusterFile === null ? null : readClusterFile(config.clusterFile);
      // A cluster file says everything about the cluster, ZooKeeper included.
      if (clusterFile) localZk = clusterFile.zk ?? null;
      cluster = await startCluster(
        clusterFile
          ? clusterFileOptions(clusterFile)
          : {
              agents: config.agents,
              scenario: config.scenario,
              masters: config.localMasters,
              zk: config.localZk ?? undefined,
              marathon: true,
              // A Mesos-DNS comes with the local cluster unless --mesos-dns names another.
              mesosDns: config.mesosDns === null && !isScaleScenario(config.scenario),
              // The demo's jobs run on a Chronos of their own.
              chronos: config.scenario === 'demo',
              maxCompletedTasksPerFramework: config.localMaxCompletedTasks,
            },
      );
      if (clusterFile) {
        await installClusterFileWork(clusterFile, {
          marathon: cluster.marathonUrl,
          chronos: cluster.chronos?.url,
        }).catch(async (error: unknown) => {
          await cluster?.close();
          throw new Error(`${config.clusterFile}: ${(error as Error).message}`);
        });
      }
    } catch (error) {
      process.stderr.write(`mesoscope: ${(error as Error).message}\n`);
      process.exit(2);
    }
    source = localZk ? parseMasterSource(localZk) : { kind: 'masters', urls: cluster.masterUrls };
    log(
      `local cluster: ${cluster.masterUrls.length > 1 ? `masters at ${cluster.masterUrls.join(', ')}` : `master at ${cluster.masterUrl}`}${localZk ? ` (elected through ${sourceLabels(source).join('')})` : ''}, ${cluster.agents.length} agents, sandboxes in ${cluster.workDir}`,
    );
    if (cluster.marathonUrl) log(`local Marathon at ${cluster.marathonUrl}`);
  }
  const masters = sourceLabels(source);
  if (cluster?.mesosDns)
    log(`Mesos-DNS: ${cluster.mesosDns.dnsAddress} (DNS, UDP and TCP), ${cluster.mesosDns.httpUrl} (HTTP)`);
  if (cluster?.chronos) log(`Chronos: ${cluster.chronos.url}`);
  const mesosDnsUrl = config.mesosDns ?? cluster?.mesosDns?.httpUrl ?? null;

  const client = new MesosClient({
    timeoutMs: config.upstream.timeoutMs,
    credentials: upstreamFiles.credentials,
    tls: upstreamFiles.tls,
    httpsEverywhere: sourceUsesTls(source),
    maxBodyBytes: config.upstream.maxBodyBytes,
  });
  const discovery = new LeaderDiscovery(source, client);
  const poller = new ClusterPoller({ client, discovery, intervalMs: config.pollIntervalMs });
  poller.on('poll-error', (message) => log(`cluster poll failed: ${message}`));
  poller.on('leader-change', (leader, before) =>
    log(
      `leader changed: ${before ? `${before.hostname}:${before.port}` : '(none)'} -> ${leader.hostname}:${leader.port}`,
    ),
  );
  poller.start();

  const marathonClient = new MarathonClient({
    timeoutMs: config.upstream.timeoutMs,
    credentials: marathonCredentials,
    tls: upstreamFiles.tls,
    maxBodyBytes: config.upstream.maxBodyBytes,
  });
  const marathons = new Marathons({
    client: marathonClient,
    configured: config.upstream.marathons,
    cluster: poller,
    log,
  });
  marathons.start();

  const hosts = acceptedHosts(config.host, config.allowedHosts);
  const app = await buildApp({
    poller,
    discovery,
    client,
    mode: cluster ? 'local' : 'remote',
    masters,
    // A scale scenario's size is part of the scenario; a cluster file is its own cluster.
    localIdentity: config.clusterFile
      ? `cluster file ${path.resolve(config.clusterFile)}`
      : isScaleScenario(config.scenario)
        ? config.scenario
        : `${config.scenario} ${config.agents} agents`,
    version,
    uiDir: path.join(root, 'dist/ui'),
    dataDir: path.resolve(config.dataDir),
    taskStore: config.taskStore,
    warn: log,
    logger: loggerOptions({
      pretty: config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true),
      level: config.logLevel,
    }),
    access,
    operations: config.operations,
    rateLimits: config.rateLimits,
    acceptedHosts: hosts,
    mesosDns: mesosDnsUrl ? new MesosDnsClient(mesosDnsUrl) : null,
    marathons,
  });
  // From here on every line is a structured log record; what was said before the app existed comes first.
  logLine = (line) => app.log.info(line);
  for (const line of earlyLines.splice(0)) logLine(line);

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
    // Requests in flight get shutdownTimeoutMs to finish. Then the connections still open are closed, which
    // lets the app close (the history is flushed and its lock released) and the cluster's tasks stop; whatever
    // still hangs after a short grace does not keep the process alive (the exit hooks kill the tasks).
    let forced = false;
    const force = setTimeout(() => {
      forced = true;
      log(`requests still in flight after ${config.shutdownTimeoutMs} ms: closing their connections`);
      app.server.closeAllConnections();
      void client.dispatcher.destroy().catch(() => undefined);
      const last = setTimeout(() => {
        log(`still stopping ${FORCED_STOP_GRACE_MS} ms later: exiting now`);
        process.exit(1);
      }, FORCED_STOP_GRACE_MS);
      last.unref();
    }, config.shutdownTimeoutMs);
    force.unref();
    poller.stop();
    marathons.stop();
    discovery.close();
    await app.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    await marathonClient.close().catch(() => undefined);
    await cluster?.close().catch(() => undefined);
    process.exit(forced ? 1 : 0);
  };
  onSignal = (signal) => {
    // A second signal while shutting down: the operator does not want to wait.
    if (closing) process.exit(1);
    void shutdown(signal);
  };
  if (pendingSignal) {
    void shutdown(pendingSignal);
    return;
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (closing) return;
    log(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    await app.close().catch(() => undefined);
    await cluster?.close();
    process.exit(1);
  }
  const shown = config.host === '127.0.0.1' ? 'localhost' : config.host;
  log(`mesoscope ${version} at http://${shown}:${config.port} (listening on ${config.host} only)`);
  if (config.readyFile) {
    const { port } = app.server.address() as AddressInfo;
    writeReadyFile(config.readyFile, `http://${shown}:${port}`, cluster);
  }
  if (!isLoopback(config.host)) {
    log(
      `${config.host} is not a loopback address: anyone who reaches it can read every sandbox${access.kind === 'open' ? '; consider --htpasswd or --auth-proxy-header' : ''}`,
    );
  }
  log(`served as: ${[...hosts].join(', ')} (any other Host header gets 421; add names with --allowed-hosts)`);
  log(
    `access: ${access.kind === 'open' ? 'anyone who can connect' : access.kind === 'htpasswd' ? `htpasswd (${access.users.size} users)` : `user from ${access.header}, proxies ${access.trusted.cidrs.join(', ')}`}`,
  );
  log(
    config.operations
      ? `operations on: ${config.operations.operators ? config.operations.operators.join(', ') : 'every signed-in user'} may change the cluster, audited in ${path.join(path.resolve(config.dataDir), 'audit.log')}`
      : 'read-only: no operation changes the cluster (--allow-operations to allow them)',
  );
  if (config.upstream.marathons.length > 0) {
    log(
      `marathon: ${config.upstream.marathons.join(', ')}${marathonCredentials ? ` as principal '${marathonCredentials.principal}'` : ''}`,
    );
  }
  log(
    `reading ${cluster ? 'the local cluster' : masters.join(', ')}${upstreamFiles.credentials ? ` as principal '${upstreamFiles.credentials.principal}'` : ''}`,
  );
}

/**
 * Where everything answers, for whoever started this process in the background (`mesoscope up`); written to a
 * temporary name and renamed, so a reader never sees half of it.
 */
function writeReadyFile(file: string, dashboard: string, cluster: LocalCluster | null): void {
  const ready = {
    pid: process.pid,
    dashboard,
    ...(cluster
      ? {
          master: cluster.masterUrl,
          masters: cluster.masterUrls,
          marathon: cluster.marathonUrl ?? null,
          chronos: cluster.chronos?.url ?? null,
          dns: cluster.mesosDns?.dnsAddress ?? null,
          dnsHttp: cluster.mesosDns?.httpUrl ?? null,
          workDir: cluster.workDir,
          agents: cluster.agents.map(({ id, url, hostname }) => ({ id, url, hostname })),
        }
      : {}),
  };
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(ready, null, 2)}\n`);
  renameSync(partial, file);
}

/** After the shutdown timeout and closing the connections still open, how long the rest may take. */
const FORCED_STOP_GRACE_MS = 3_000;

/** Lines said before the app (and its logger) exists wait here, then go out as log records. */
const earlyLines: string[] = [];
let logLine = (line: string): void => void earlyLines.push(line);

function log(line: string): void {
  logLine(line);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

void main();
