/** Marathon's REST API (`/v2/...`, `/ping`) over node:http, answering as Marathon 1.x does. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { absoluteId, parentOf, parseApp } from './app-definition';
import type { AppDefinition, Json } from './app-definition';
import { MarathonError, Problems, notFound } from './errors';
import type { AppRecord, Deployment, GroupRecord, Marathon, TaskRecord } from './marathon';

const VERSION = '1.10.17';
const MAX_BODY = 5 * 1024 * 1024;

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: () => Promise<unknown>;
  res: ServerResponse;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'handled';

const flag = (query: URLSearchParams, name: string) => (query.get(name) ?? '').toLowerCase() === 'true';

export function marathonHandler(marathon: Marathon) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://marathon');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname).replace(/\/+$/, '') || '/';
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `Invalid URI: ${url.pathname.slice(0, 200)}` }));
      return;
    }
    const request: Request = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body: () => readJson(req),
      res,
    };
    let reply: Reply;
    try {
      reply = await route(marathon, request);
    } catch (error) {
      if (error instanceof MarathonError) reply = { status: error.status, body: error.body };
      else reply = { status: 500, body: { message: (error as Error).message } };
    }
    if (reply === 'handled') return;
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; qs=2';
    res.writeHead(reply.status, headers).end(text);
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new MarathonError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MarathonError(400, 'Invalid JSON', {
      message: 'Invalid JSON',
      details: [{ path: '/', errors: [`Invalid JSON: ${(error as Error).message}`] }],
    });
  }
}

const deploymentReply = (d: Deployment, status = 200, extra: Record<string, string> = {}): Reply => ({
  status,
  body: { version: d.version, deploymentId: d.id },
  headers: { 'Marathon-Deployment-Id': d.id, ...extra },
});

async function route(m: Marathon, r: Request): Promise<Reply> {
  const { method, path, query } = r;
  if (path === '/ping') return { status: 200, body: 'pong', headers: { 'Content-Type': 'text/plain' } };
  if (path === '/v2/info' && method === 'GET') return { status: 200, body: info(m) };
  if (path === '/v2/leader' && method === 'GET')
    return { status: 200, body: { leader: new URL(m.options.url).host } };
  if (path === '/v2/events' && method === 'GET') return events(m, r);
  if (path === '/v2/apps') return appsCollection(m, r);
  if (path.startsWith('/v2/apps/')) return appResource(m, r, path.slice('/v2/apps'.length));
  if (path === '/v2/groups' || path.startsWith('/v2/groups/'))
    return groups(m, r, path.slice('/v2/groups'.length) || '/');
  if (path === '/v2/deployments' && method === 'GET') {
    return { status: 200, body: m.deployments.map((d) => m.deploymentJson(d)) };
  }
  if (path.startsWith('/v2/deployments/') && method === 'DELETE') {
    const rolledBack = m.rollback(path.slice('/v2/deployments/'.length), flag(query, 'force'));
    return rolledBack ? deploymentReply(rolledBack) : { status: 202 };
  }
  if (path === '/v2/tasks' && method === 'GET') {
    const states = (query.get('status') ?? '').toLowerCase();
    const tasks = m
      .allTasks()
      .filter((t) => !states || t.state.toLowerCase() === `task_${states}`)
      .map((t) => taskJson(m, t));
    return { status: 200, body: { tasks } };
  }
  if (path === '/v2/tasks/delete' && method === 'POST') {
    const body = (await r.body()) as Json;
    const ids = Array.isArray(body?.ids) ? (body.ids as unknown[]).map(String) : undefined;
    if (!ids)
      throw new MarathonError(422, 'Object is not valid', {
        message: 'Object is not valid',
        details: [{ path: '/ids', errors: ['error.path.missing'] }],
      });
    const tasks = m.allTasks().filter((t) => ids.includes(t.id));
    const deployment = m.killTasks(tasks, flag(query, 'scale'), flag(query, 'force'));
    return deployment
      ? deploymentReply(deployment)
      : { status: 200, body: { tasks: tasks.map((t) => taskJson(m, t)) } };
  }
  if (path === '/v2/queue' && method === 'GET') return { status: 200, body: { queue: queue(m) } };
  const delay = /^\/v2\/queue\/(.+)\/delay$/.exec(path);
  if (delay && method === 'DELETE') {
    const id = absoluteId(delay[1] ?? '') ?? '';
    if (!m.apps.has(id) || !m.resetDelay(id)) throw notFound(`Application ${id} not found in tasks queue.`);
    return { status: 204 };
  }
  throw new MarathonError(404, `Not found: ${method} ${path}`);
}

function info(m: Marathon): Json {
  const url = new URL(m.options.url);
  return {
    name: 'marathon',
    version: VERSION,
    buildref: 'mesoscope-local',
    elected: true,
    leader: url.host,
    frameworkId: m.frameworkId ?? null,
    marathon_config: {
      checkpoint: true,
      executor: '//cmd',
      failover_timeout: m.options.failoverTimeoutSeconds ?? 604800,
      features: [],
      framework_name: m.options.frameworkName ?? 'marathon',
      ha: false,
      hostname: url.hostname,
      leader_proxy_connection_timeout_ms: 5000,
      leader_proxy_read_timeout_ms: 10000,
      local_port_min: 10000,
      local_port_max: 20000,
      master: [m.options.masterUrl].flat().join(','),
      mesos_leader_ui_url: `${m.driver.masterUrl.replace(/\/$/, '')}/`,
      mesos_role: m.role,
      mesos_user: m.options.user ?? 'root',
      webui_url: m.options.url,
      reconciliation_initial_delay: 15000,
      reconciliation_interval: 600000,
      task_launch_timeout: 300000,
      task_reservation_timeout: 20000,
      max_instances_per_offer: 200,
    },
    // State lives in memory here: no ZooKeeper, so `zk` is empty; the rest are Marathon's defaults.
    zookeeper_config: {
      zk: '',
      zk_compression: true,
      zk_compression_threshold: 65536,
      zk_connection_timeout: 10000,
      zk_max_node_size: 1024000,
      zk_max_versions: 50,
      zk_session_timeout: 10000,
      zk_timeout: 10000,
    },
    http_config: { http_port: Number(url.port) || 80, https_port: 8443 },
  };
}

// Apps.

function embeds(query: URLSearchParams): Set<string> {
  return new Set(query.getAll('embed').map((e) => e.replace(/^apps?\./, '')));
}

export function appJson(m: Marathon, record: AppRecord, embed: Set<string>): Json {
  const out: Json = m.definitionJson(record);
  const tasks = m.tasksOf(record.def.id);
  const live = tasks.filter((t) => !t.killing || t.state === 'TASK_RUNNING');
  const running = live.filter((t) => t.state === 'TASK_RUNNING');
  const counts = {
    tasksStaged: live.filter((t) => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING').length,
    tasksRunning: running.length,
    tasksHealthy:
      record.def.healthChecks.length > 0 ? running.filter((t) => m.isHealthy(record.def, t)).length : 0,
    tasksUnhealthy:
      record.def.healthChecks.length > 0
        ? running.filter((t) => t.health.some((h) => h && !h.alive)).length
        : 0,
  };
  if (embed.has('counts') || embed.has('deployments') || embed.has('tasks')) Object.assign(out, counts);
  if (embed.has('deployments') || embed.has('tasks')) {
    out.deployments = m.deployments
      .filter((d) => d.affectedApps.includes(record.def.id))
      .map((d) => ({ id: d.id }));
  }
  if (embed.has('readiness')) out.readinessCheckResults = [];
  if (embed.has('tasks')) out.tasks = tasks.map((t) => taskJson(m, t));
  if (embed.has('lastTaskFailure') || embed.has('failures')) {
    const failure = m.runOf(record.def.id)?.lastTaskFailure;
    if (failure) out.lastTaskFailure = failure;
  }
  if (embed.has('taskStats')) out.taskStats = taskStats(m, record, running);
  return out;
}

function taskStats(m: Marathon, record: AppRecord, running: TaskRecord[]): Json {
  const stats = (tasks: TaskRecord[]) => {
    if (tasks.length === 0) return undefined;
    const ages = tasks
      .filter((t) => t.startedAt)
      .map((t) => (Date.now() - Date.parse(t.startedAt ?? '')) / 1000)
      .sort((a, b) => a - b);
    return {
      stats: {
        counts: {
          staged: 0,
          running: tasks.length,
          healthy: tasks.filter((t) => m.isHealthy(record.def, t)).length,
          unhealthy: tasks.filter((t) => t.health.some((h) => h && !h.alive)).length,
        },
        lifeTime: {
          averageSeconds: ages.reduce((a, b) => a + b, 0) / Math.max(1, ages.length),
          medianSeconds: ages[Math.floor(ages.length / 2)] ?? 0,
        },
      },
    };
  };
  const out: Json = {};
  const latest = running.filter((t) => t.configVersion === record.lastConfigChangeAt);
  const outdated = running.filter((t) => t.configVersion !== record.lastConfigChangeAt);
  const afterScaling = running.filter((t) => (t.startedAt ?? '') >= record.lastScalingAt);
  for (const [key, tasks] of [
    ['startedAfterLastScaling', afterScaling],
    ['withLatestConfig', latest],
    ['withOutdatedConfig', outdated],
    ['totalSummary', running],
  ] as const) {
    const value = stats(tasks);
    if (value) out[key] = value;
  }
  return out;
}

export function taskJson(m: Marathon, t: TaskRecord): Json {
  const def = m.apps.get(t.appId)?.def;
  const out: Json = {
    appId: t.appId,
    host: t.host,
    id: t.id,
    ipAddresses: [{ ipAddress: t.ip, protocol: 'IPv4' }],
    ports: t.ports,
    servicePorts: t.servicePorts,
    slaveId: t.agentId,
    state: t.state,
    stagedAt: t.stagedAt,
    startedAt: t.startedAt,
    version: t.version,
    localVolumes: [],
    role: m.role,
  };
  if (def && def.healthChecks.length > 0) out.healthCheckResults = t.health.filter((h) => h !== null);
  return out;
}

function appsCollection(m: Marathon, r: Request): Promise<Reply> | Reply {
  const { method, query } = r;
  if (method === 'GET') {
    const embed = embeds(query);
    const cmd = query.get('cmd');
    const idFilter = query.get('id');
    const label = query.get('label');
    const apps = [...m.apps.values()]
      .filter((a) => !cmd || (a.def.cmd ?? '').includes(cmd))
      .filter((a) => !idFilter || a.def.id.includes(idFilter))
      .filter((a) => {
        if (!label) return true;
        const [key = '', value] = label.split('==');
        return value === undefined ? key in a.def.labels : a.def.labels[key] === value;
      })
      .sort((a, b) => a.def.id.localeCompare(b.def.id))
      .map((a) => appJson(m, a, new Set([...embed, 'counts', 'deployments'])));
    return { status: 200, body: { apps } };
  }
  if (method === 'POST') return createApp(m, r);
  if (method === 'PUT') return updateApps(m, r);
  throw new MarathonError(405, 'Method Not Allowed');
}

async function createApp(m: Marathon, r: Request): Promise<Reply> {
  const def = parseApp(await r.body());
  if (m.apps.has(def.id)) throw new MarathonError(409, `An app with id [${def.id}] already exists.`);
  if (m.groups.has(def.id)) throw new MarathonError(409, `A group with id [${def.id}] already exists.`);
  checkDependencies(m, new Map([[def.id, def]]));
  const deployment = m.deploy(new Map([[def.id, def]]), { force: flag(r.query, 'force') });
  const record = m.apps.get(def.id) as AppRecord;
  m.emitEvent('api_post_event', {
    clientIp: r.res.req.socket.remoteAddress ?? '',
    uri: `/v2/apps${def.id}`,
    appDefinition: m.definitionJson(record),
  });
  return {
    status: 201,
    body: { ...appJson(m, record, new Set(['counts', 'deployments', 'tasks'])) },
    headers: { Location: `/v2/apps${def.id}`, 'Marathon-Deployment-Id': deployment.id },
  };
}

async function updateApps(m: Marathon, r: Request): Promise<Reply> {
  const body = await r.body();
  if (!Array.isArray(body)) {
    throw new MarathonError(422, 'Object is not valid', {
      message: 'Object is not valid',
      details: [{ path: '/', errors: ['error.expected.jsarray'] }],
    });
  }
  const partial = (r.query.get('partialUpdate') ?? 'true').toLowerCase() !== 'false';
  const targets = new Map<string, AppDefinition>();
  body.forEach((raw, i) => {
    const id = typeof (raw as Json)?.id === 'string' ? absoluteId((raw as Json).id as string) : undefined;
    const base = partial && id ? m.apps.get(id)?.def : undefined;
    const def = parseApp(raw, { base, path: `(${i})` });
    targets.set(def.id, def);
  });
  checkDependencies(m, targets);
  return deploymentReply(m.deploy(targets, { force: flag(r.query, 'force') }));
}

async function appResource(m: Marathon, r: Request, rest: string): Promise<Reply> {
  const { method, query } = r;
  const match = /^(.*?)(\/restart|\/tasks(?:\/[^/]+)?|\/versions(?:\/[^/]+)?)?$/.exec(rest);
  const id = absoluteId(match?.[1] ?? '') ?? match?.[1] ?? '';
  const sub = match?.[2] ?? '';
  const record = m.apps.get(id);
  const missing = () => notFound(`App '${id}' does not exist`);
  if (sub === '') {
    if (method === 'GET') {
      if (!record) throw missing();
      const embed = embeds(query);
      const all =
        embed.size === 0
          ? new Set(['counts', 'deployments', 'tasks', 'lastTaskFailure', 'readiness'])
          : embed;
      return { status: 200, body: { app: appJson(m, record, new Set([...all, 'counts', 'deployments'])) } };
    }
    if (method === 'PUT') {
      const raw = await r.body();
      const partial = (query.get('partialUpdate') ?? 'true').toLowerCase() !== 'false';
      const withId = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Json) } : raw;
      if (withId && typeof withId === 'object' && !Array.isArray(withId)) {
        const given = (withId as Json).id;
        if (given !== undefined && typeof given === 'string' && absoluteId(given) !== id) {
          throw new MarathonError(422, 'Object is not valid', {
            message: 'Object is not valid',
            details: [
              { path: '/id', errors: [`The id in the body (${given}) does not match the path (${id})`] },
            ],
          });
        }
        (withId as Json).id = id;
      }
      const def = parseApp(withId, { base: partial ? record?.def : undefined });
      checkDependencies(m, new Map([[id, def]]));
      const deployment = m.deploy(new Map([[id, def]]), { force: flag(query, 'force') });
      return record
        ? deploymentReply(deployment)
        : deploymentReply(deployment, 201, { Location: `/v2/apps${id}` });
    }
    if (method === 'DELETE') {
      if (!record) throw missing();
      return deploymentReply(m.deploy(new Map([[id, undefined]]), { force: flag(query, 'force') }));
    }
  }
  if (!record) throw missing();
  if (sub === '/restart' && method === 'POST') {
    return deploymentReply(
      m.deploy(new Map([[id, record.def]]), { force: flag(query, 'force'), restart: new Set([id]) }),
    );
  }
  if (sub === '/tasks') {
    if (method === 'GET') return { status: 200, body: { tasks: m.tasksOf(id).map((t) => taskJson(m, t)) } };
    if (method === 'DELETE') {
      const host = query.get('host');
      const tasks = m.tasksOf(id).filter((t) => !host || t.host === host);
      const deployment = m.killTasks(tasks, flag(query, 'scale'), flag(query, 'force'));
      return deployment
        ? deploymentReply(deployment)
        : { status: 200, body: { tasks: tasks.map((t) => taskJson(m, t)) } };
    }
  }
  if (sub.startsWith('/tasks/') && method === 'DELETE') {
    const taskId = sub.slice('/tasks/'.length);
    const task = m.tasksOf(id).find((t) => t.id === taskId);
    if (!task) throw notFound(`Task '${taskId}' does not exist`);
    const deployment = m.killTasks([task], flag(query, 'scale'), flag(query, 'force'));
    return deployment ? deploymentReply(deployment) : { status: 200, body: { task: taskJson(m, task) } };
  }
  if (sub === '/versions' && method === 'GET') {
    return { status: 200, body: { versions: [...record.versions.keys()].sort().reverse() } };
  }
  if (sub.startsWith('/versions/') && method === 'GET') {
    const version = sub.slice('/versions/'.length);
    const def = record.versions.get(version);
    if (!def) throw notFound(`App '${id}' does not exist in version ${version}`);
    return {
      status: 200,
      body: m.definitionJson({ ...record, def, version }),
    };
  }
  throw new MarathonError(405, 'Method Not Allowed');
}

function checkDependencies(m: Marathon, changes: Map<string, AppDefinition>): void {
  const apps = new Map<string, AppRecord>(m.apps);
  for (const [id, def] of changes) apps.set(id, { def } as AppRecord);
  m.checkAcyclic(apps, m.groups);
}

// Groups.

function groupJson(m: Marathon, id: string, embed: Set<string>): Json {
  const group = m.groups.get(id) as GroupRecord;
  const children = [...m.groups.keys()].filter((g) => g !== id && g !== '/' && parentOf(g) === id).sort();
  const apps = [...m.apps.values()]
    .filter((a) => parentOf(a.def.id) === id)
    .sort((a, b) => a.def.id.localeCompare(b.def.id));
  const appEmbed = new Set(
    [...embed].filter((e) => e.startsWith('group.apps.')).map((e) => e.slice('group.apps.'.length)),
  );
  return {
    id,
    apps: apps.map((a) => appJson(m, a, appEmbed)),
    groups: children.map((g) => groupJson(m, g, embed)),
    pods: [],
    dependencies: group.dependencies,
    version: group.version,
  };
}

async function groups(m: Marathon, r: Request, rawId: string): Promise<Reply> {
  const { method, query } = r;
  const versions = /^(.*)\/versions$/.exec(rawId);
  const id = absoluteId(versions ? versions[1] || '/' : rawId) ?? rawId;
  if (method === 'GET') {
    if (!m.groups.has(id)) throw notFound(`Group '${id}' does not exist`);
    if (versions) return { status: 200, body: [m.groups.get(id)?.version] };
    return { status: 200, body: groupJson(m, id, new Set(query.getAll('embed'))) };
  }
  const force = flag(query, 'force');
  if (method === 'DELETE') {
    if (!m.groups.has(id)) throw notFound(`Group '${id}' does not exist`);
    const targets = new Map<string, AppDefinition | undefined>();
    for (const appId of m.apps.keys())
      if (id === '/' || appId.startsWith(`${id}/`)) targets.set(appId, undefined);
    const removed = new Map<string, GroupRecord | undefined>();
    for (const g of m.groups.keys())
      if (g !== '/' && (id === '/' || g === id || g.startsWith(`${id}/`))) removed.set(g, undefined);
    return deploymentReply(m.deploy(targets, { force, groups: removed }));
  }
  const body = await r.body();
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new MarathonError(422, 'Object is not valid', {
      message: 'Object is not valid',
      details: [{ path: '/', errors: ['error.expected.jsobject'] }],
    });
  }
  const json = body as Json;
  if (method === 'PUT' && json.scaleBy !== undefined) {
    const factor = json.scaleBy;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) {
      throw new MarathonError(422, 'Object is not valid', {
        message: 'Object is not valid',
        details: [{ path: '/scaleBy', errors: ['error.expected.jsnumber'] }],
      });
    }
    if (!m.groups.has(id)) throw notFound(`Group '${id}' does not exist`);
    const targets = new Map<string, AppDefinition | undefined>();
    for (const [appId, app] of m.apps) {
      if (id === '/' || appId.startsWith(`${id}/`)) {
        targets.set(appId, { ...app.def, instances: Math.ceil(app.def.instances * factor) });
      }
    }
    return deploymentReply(m.deploy(targets, { force }));
  }
  const groupId = method === 'POST' ? (typeof json.id === 'string' ? absoluteId(json.id, id) : id) : id;
  if (!groupId) {
    throw new MarathonError(422, 'Object is not valid', {
      message: 'Object is not valid',
      details: [{ path: '/id', errors: ['error.path.invalid'] }],
    });
  }
  if (method === 'POST' && groupId !== '/' && (m.groups.has(groupId) || m.apps.has(groupId))) {
    throw new MarathonError(409, `Group ${groupId} is already created. Use PUT to change this group.`);
  }
  if (method !== 'POST' && method !== 'PUT') throw new MarathonError(405, 'Method Not Allowed');
  const problems = new Problems();
  const apps = new Map<string, AppDefinition>();
  const groupsOut = new Map<string, GroupRecord>();
  const version = new Date().toISOString();
  readGroup(json, groupId, '', problems, apps, groupsOut, version);
  problems.throwIfAny();
  // A group PUT or POST replaces what is under it: apps it no longer names are stopped.
  const targets = new Map<string, AppDefinition | undefined>();
  for (const appId of m.apps.keys())
    if (groupId === '/' || appId.startsWith(`${groupId}/`)) targets.set(appId, undefined);
  for (const [appId, def] of apps) {
    const old = m.apps.get(appId)?.def;
    targets.set(
      appId,
      old
        ? {
            ...def,
            portDefinitions: def.portDefinitions.map((p, i) =>
              p.port === 0 ? (old.portDefinitions[i] ?? p) : p,
            ),
          }
        : def,
    );
  }
  for (const [appId, def] of targets)
    if (def && m.groups.has(appId))
      throw new MarathonError(409, `A group with id [${appId}] already exists.`);
  const groupChanges = new Map<string, GroupRecord | undefined>();
  for (const g of m.groups.keys())
    if (g !== '/' && g.startsWith(`${groupId}/`) && !groupsOut.has(g)) groupChanges.set(g, undefined);
  for (const [g, record] of groupsOut) groupChanges.set(g, record);
  const futureApps = new Map<string, AppRecord>(m.apps);
  for (const [appId, def] of targets) {
    if (def) futureApps.set(appId, { def } as AppRecord);
    else futureApps.delete(appId);
  }
  const futureGroups = new Map(m.groups);
  for (const [g, record] of groupChanges) {
    if (record) futureGroups.set(g, record);
    else futureGroups.delete(g);
  }
  m.checkAcyclic(futureApps, futureGroups);
  const deployment = m.deploy(targets, { force, groups: groupChanges });
  if (method === 'POST')
    return deploymentReply(deployment, 201, { Location: `/v2/groups${groupId === '/' ? '' : groupId}` });
  return deploymentReply(deployment);
}

function readGroup(
  json: Json,
  id: string,
  path: string,
  problems: Problems,
  apps: Map<string, AppDefinition>,
  groups: Map<string, GroupRecord>,
  version: string,
): void {
  const allowed = new Set(['id', 'apps', 'groups', 'dependencies', 'version', 'pods', 'enforceRole']);
  for (const key of Object.keys(json))
    if (!allowed.has(key)) problems.add(`${path}/${key}`, 'error.unknown.property');
  const dependencies: string[] = [];
  if (json.dependencies !== undefined) {
    if (!Array.isArray(json.dependencies)) problems.add(`${path}/dependencies`, 'error.expected.jsarray');
    else {
      json.dependencies.forEach((d, i) => {
        const dep = typeof d === 'string' ? absoluteId(d, parentOf(id)) : undefined;
        if (!dep) problems.add(`${path}/dependencies(${i})`, 'error.path.invalid');
        else dependencies.push(dep);
      });
    }
  }
  groups.set(id, { id, dependencies, version });
  if (json.apps !== undefined && !Array.isArray(json.apps))
    problems.add(`${path}/apps`, 'error.expected.jsarray');
  for (const [i, raw] of (Array.isArray(json.apps) ? json.apps : []).entries()) {
    try {
      const def = parseApp(raw, { parent: id, path: `${path}/apps(${i})` });
      if (parentOf(def.id) !== id)
        problems.add(`${path}/apps(${i})/id`, `App ${def.id} is not a child of group ${id}`);
      apps.set(def.id, def);
    } catch (error) {
      if (error instanceof MarathonError && Array.isArray(error.body.details)) {
        for (const d of error.body.details as { path: string; errors: string[] }[]) {
          for (const e of d.errors) problems.add(d.path, e);
        }
      } else throw error;
    }
  }
  if (json.groups !== undefined && !Array.isArray(json.groups))
    problems.add(`${path}/groups`, 'error.expected.jsarray');
  for (const [i, raw] of (Array.isArray(json.groups) ? json.groups : []).entries()) {
    const child = raw as Json;
    const childId = typeof child?.id === 'string' ? absoluteId(child.id, id) : undefined;
    if (!childId || !child || typeof child !== 'object') {
      problems.add(`${path}/groups(${i})/id`, 'error.path.invalid');
      continue;
    }
    readGroup(child, childId, `${path}/groups(${i})`, problems, apps, groups, version);
  }
}

// Queue and events.

function queue(m: Marathon): Json[] {
  const out: Json[] = [];
  for (const record of m.apps.values()) {
    const run = m.runOf(record.def.id);
    if (!run || (run.wanted <= 0 && run.delay.until <= Date.now())) continue;
    const live = [...run.tasks.values()].filter((t) => !t.killing).length;
    const count = Math.max(run.wanted, (run.active?.instances ?? 0) - live);
    if (count <= 0) continue;
    const left = Math.max(0, Math.ceil((run.delay.until - Date.now()) / 1000));
    out.push({
      app: m.definitionJson(record),
      count,
      delay: { timeLeftSeconds: left, overdue: left === 0 },
      since: run.since,
      processedOffersSummary: {
        processedOffersCount: run.offersSeen,
        unusedOffersCount: run.offersUnused,
        rejectSummaryLastOffers: [],
        rejectSummaryLaunchAttempt: [],
      },
      lastUnusedOffers: [],
    });
  }
  return out;
}

function events(m: Marathon, r: Request): Reply {
  const types = new Set(r.query.getAll('event_type'));
  const res = r.res;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.write(
    `event: event_stream_attached\ndata: ${JSON.stringify({ remoteAddress: res.req.socket.remoteAddress ?? '', eventType: 'event_stream_attached', timestamp: new Date().toISOString() })}\n\n`,
  );
  const listener = (type: string, body: Json) => {
    if (types.size > 0 && !types.has(type)) return;
    res.write(`event: ${type}\ndata: ${JSON.stringify(body)}\n\n`);
  };
  m.on('event', listener);
  const keepAlive = setInterval(() => res.write('\r\n'), 15_000);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    m.off('event', listener);
  });
  return 'handled';
}
