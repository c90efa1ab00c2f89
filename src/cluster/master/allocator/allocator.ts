/**
 * The master's allocator, after Mesos's hierarchical allocator (src/master/allocator/mesos/hierarchical.cpp):
 * every allocation interval (and soon after a change that frees resources or adds a framework) each agent's
 * available resources go to one framework, chosen by DRF across roles (weighted) and then across the role's
 * frameworks. Roles below their quota guarantee are served first; other roles never get the headroom those
 * guarantees still need, and no role gets past its quota limit. Refuse filters, suppressed roles and offer
 * timeouts are honoured. It works on any master ({@link AllocationHost}): the local cluster's visits every agent
 * each pass; a simulated cluster of 10,000 agents bounds the sweep, so a pass costs what changed.
 */
import type { FrameworkRecord, OfferRecord } from '../model';
import type { RoleQuota } from '../master-model';
import { addResources, emptyResources, subtractResources, sumResources } from '../resources';
import type { ClusterResources } from '../resources';
import { dominantShare, drfOrder } from './drf';
import { FilterExpiries } from './filter-expiries';
import { accumulateResources, roundScalar } from '../../../mesos/resources';
import type { Resources } from '../../../mesos/resources';

/** Mesos's `--allocation_interval` default. */
export const DEFAULT_ALLOCATION_INTERVAL_MS = 1000;
/** `Filters.refuse_seconds` default (mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** Mesos's `--min_allocatable_resources` default: `cpus:0.01|mem:32`. */
const MIN_CPUS = 0.01;
const MIN_MEM = 32;

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;
const NOTHING: Resources = Object.freeze({ cpus: 0, gpus: 0, mem: 0, disk: 0 });

export interface AllocatorOptions {
  allocationIntervalMs?: number;
  /** Mesos's `--offer_timeout`: outstanding offers are rescinded after this long (default: never). */
  offerTimeoutSecs?: number;
  /**
   * How many agents a pass visits besides those whose resources changed since the last pass, taken in turn
   * from the whole list (default: all of them, every pass). A big simulated cluster bounds it, so a pass costs
   * what changed rather than the size of the cluster, and still reaches every agent over a few passes.
   */
  sweepAgents?: number;
  /**
   * With a bounded sweep, how many more agents a pass visits for each framework that wants offers (revived, not
   * suppressed), so that frameworks with work waiting see enough of the cluster however many of them there are.
   */
  sweepPerFramework?: number;
  /** Passes run only when {@link Allocator.allocate} is called (a simulation that keeps its own clock). */
  onlyWhenAsked?: boolean;
}

/** What the allocator needs of an agent. */
export interface AllocatableAgent {
  readonly id: string;
  readonly resources: ClusterResources;
  /** Deactivated (or draining): no offers. */
  readonly deactivated: boolean;
  /** Cut off from the master: no offers. */
  readonly partitioned?: boolean;
  /** Resources reserved for a role on the agent, by role. */
  readonly reserved?: ReadonlyMap<string, ClusterResources>;
}

/** What each role and each framework holds (live tasks and outstanding offers), the sums DRF sorts by. */
export interface AllocationSums {
  byRole: Map<string, Resources>;
  byFramework: Map<string, Resources>;
}

/** The master the allocator works for: both the local cluster's master and the simulated one. */
export interface AllocationHost<Agent extends AllocatableAgent> {
  readonly closed: boolean;
  readonly agents: readonly Agent[];
  agent(agentId: string): Agent | undefined;
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  readonly offers: ReadonlyMap<string, OfferRecord>;
  readonly weights: ReadonlyMap<string, number>;
  readonly quotas: ReadonlyMap<string, RoleQuota>;
  readonly counters: { offersDeclined: number };
  /** Resources neither used by live tasks nor offered on the agent. */
  freeOn(agent: Agent): ClusterResources;
  /** Resources the role's live tasks use on the agent (asked only of agents with reservations). */
  usedByRoleOn(agent: Agent, role: string): ClusterResources;
  /** The current sums, as copies the allocator may change during a pass. */
  allocationSums(): AllocationSums;
  /** Records an offer of free resources on the agent; undefined when it cannot be made. */
  createOffer(
    frameworkId: string,
    agent: Agent,
    resources: ClusterResources,
    role: string,
  ): OfferRecord | undefined;
  /** The master withdraws an outstanding offer. */
  rescindOffer(offerId: string): void;
  /** Takes an outstanding offer out (the framework used or declined it); undefined when not outstanding. */
  withdrawOffer(offerId: string): OfferRecord | undefined;
}

/** What the allocator knows of one framework it makes offers to. */
interface Client {
  frameworkId: string;
  /** Agent id -> when the refusal ends (ms since epoch). */
  filters: Map<string, number>;
  /** Roles the framework asked no offers for. */
  suppressed: Set<string>;
}

interface Candidate {
  framework: FrameworkRecord;
  client: Client;
}

/** Offers made in one allocation pass, by framework. */
export type OfferBatch = Map<string, OfferRecord[]>;

export class Allocator<Agent extends AllocatableAgent> {
  /** Called once per pass with the offers each framework got. */
  onOffers: ((frameworkId: string, offers: OfferRecord[]) => void) | undefined;
  private readonly clients = new Map<string, Client>();
  private readonly offerTimers = new Map<string, NodeJS.Timeout>();
  /** Agents whose free resources changed since the last pass. */
  private readonly changed = new Set<string>();
  private readonly expiries = new FilterExpiries();
  /** Where the next bounded sweep starts in the agent list. */
  private cursor = 0;
  private interval: NodeJS.Timeout | undefined;
  private pending: NodeJS.Immediate | undefined;
  private intervalMs: number;
  private offerTimeoutSecs: number | undefined;
  private sweepAgents: number;
  private sweepPerFramework: number;
  private onlyWhenAsked: boolean;
  /** How long the last pass took and how many agents it visited (for benchmarks). */
  lastPass = { ms: 0, agents: 0, offers: 0 };

  constructor(
    private readonly host: AllocationHost<Agent>,
    options: AllocatorOptions = {},
  ) {
    this.intervalMs = options.allocationIntervalMs ?? DEFAULT_ALLOCATION_INTERVAL_MS;
    this.offerTimeoutSecs = options.offerTimeoutSecs;
    this.sweepAgents = options.sweepAgents ?? Infinity;
    this.sweepPerFramework = options.sweepPerFramework ?? 0;
    this.onlyWhenAsked = options.onlyWhenAsked ?? false;
  }

  /** Changes the allocation interval, offer timeout or sweep (before {@link start}). */
  configure(options: AllocatorOptions): void {
    if (options.allocationIntervalMs !== undefined) this.intervalMs = options.allocationIntervalMs;
    if (options.offerTimeoutSecs !== undefined) this.offerTimeoutSecs = options.offerTimeoutSecs;
    if (options.sweepAgents !== undefined) this.sweepAgents = options.sweepAgents;
    if (options.sweepPerFramework !== undefined) this.sweepPerFramework = options.sweepPerFramework;
    if (options.onlyWhenAsked !== undefined) this.onlyWhenAsked = options.onlyWhenAsked;
  }

  /** Starts the periodic allocation. */
  start(): void {
    if (this.interval) return;
    this.interval = setInterval(() => this.allocate(), this.intervalMs);
    this.interval.unref();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    for (const timer of this.offerTimers.values()) clearTimeout(timer);
    this.offerTimers.clear();
  }

  /** The framework takes part in allocation from now on (it gets offers while it is active). */
  addFramework(frameworkId: string, suppressedRoles: readonly string[] = []): void {
    if (!this.clients.has(frameworkId)) {
      this.clients.set(frameworkId, {
        frameworkId,
        filters: new Map(),
        suppressed: new Set(suppressedRoles),
      });
    }
    this.trigger();
  }

  /** The framework gets no more offers; its outstanding offers are rescinded. */
  removeFramework(frameworkId: string): void {
    this.clients.delete(frameworkId);
    this.rescindAll(frameworkId);
  }

  /** Rescinds every outstanding offer of a framework (e.g. it disconnected). */
  rescindAll(frameworkId: string): void {
    for (const offer of [...this.host.offers.values()]) {
      if (offer.frameworkId === frameworkId) this.host.rescindOffer(offer.id);
    }
  }

  hasFramework(frameworkId: string): boolean {
    return this.clients.has(frameworkId);
  }

  /**
   * Takes an offer out of the outstanding set (the framework used or declined it). Returns it, or undefined
   * when it is no longer valid.
   */
  takeOffer(offerId: string): OfferRecord | undefined {
    const offer = this.host.withdrawOffer(offerId);
    if (!offer) return undefined;
    this.clearTimer(offerId);
    return offer;
  }

  /** Resources of an offer came back unused: the framework refuses that agent for `refuseSeconds`. */
  recover(frameworkId: string, agentId: string, refuseSeconds = DEFAULT_REFUSE_SECONDS): void {
    const client = this.clients.get(frameworkId);
    // Mesos ignores filters shorter than the allocation interval's precision; a zero or negative one is none.
    if (client && Number.isFinite(refuseSeconds) && refuseSeconds > 0) {
      const until = Date.now() + Math.min(refuseSeconds, 365 * 24 * 3600) * 1000;
      const current = client.filters.get(agentId) ?? 0;
      if (until > current) {
        client.filters.set(agentId, until);
        this.expiries.push(until, frameworkId, agentId);
      }
    }
    // The agent's resources are back where they were before the offer: the sweep reaches it again.
    this.trigger();
  }

  /** DECLINE: the offers return to the pool with a refuse filter. */
  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds = DEFAULT_REFUSE_SECONDS): void {
    for (const offerId of offerIds) {
      const offer = this.host.offers.get(offerId);
      if (!offer || offer.frameworkId !== frameworkId) continue;
      this.takeOffer(offerId);
      this.host.counters.offersDeclined++;
      this.recover(frameworkId, offer.agentId, refuseSeconds);
    }
  }

  /** SUPPRESS: no offers for these roles (all of the framework's roles when none is named). */
  suppress(frameworkId: string, roles: readonly string[] = []): void {
    const client = this.clients.get(frameworkId);
    if (!client) return;
    const all = this.host.frameworks.get(frameworkId)?.roles ?? [];
    for (const role of roles.length > 0 ? roles : all) client.suppressed.add(role);
  }

  /** REVIVE: filters cleared and offers resumed for these roles (all when none is named). */
  revive(frameworkId: string, roles: readonly string[] = []): void {
    const client = this.clients.get(frameworkId);
    if (!client) return;
    client.filters.clear();
    if (roles.length === 0) client.suppressed.clear();
    else for (const role of roles) client.suppressed.delete(role);
    this.trigger();
  }

  /** True when the framework asked for no offers in any of its roles. */
  isSuppressed(framework: FrameworkRecord): boolean {
    const client = this.clients.get(framework.id);
    return !!client && framework.roles.every((role) => client.suppressed.has(role));
  }

  /** Roles of the framework that are suppressed right now. */
  suppressedRoles(framework: FrameworkRecord): string[] {
    const client = this.clients.get(framework.id);
    if (!client) return [];
    return framework.roles.filter((role) => client.suppressed.has(role));
  }

  /** Resources were freed on the agent (a task ended, an offer was rescinded, it was added or reactivated). */
  agentChanged(agentId: string): void {
    // With no framework to offer to, the first pass after one subscribes sweeps the agents anyway.
    if (this.clients.size === 0) return;
    this.changed.add(agentId);
    this.trigger();
  }

  /** Runs an allocation soon, once, however many changes ask for it now. */
  trigger(): void {
    if (this.pending || this.onlyWhenAsked || this.host.closed) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.allocate({ sweep: false });
    });
  }

  /**
   * One allocation pass: the agents where resources were freed (a task ended, an offer was rescinded, the
   * agent came or came back), then the sweep: every agent, unless {@link AllocatorOptions.sweepAgents} bounds
   * it to a slice taken in turn (and `sweep: false` leaves it out). Declined resources and expired filters wait
   * for the sweep.
   */
  allocate(options: { sweep?: boolean } = {}): OfferBatch {
    const began = performance.now();
    const batch: OfferBatch = new Map();
    const now = Date.now();
    this.expireFilters(now);
    const byRole = new Map<string, Candidate[]>();
    let wanting = 0;
    for (const client of this.clients.values()) {
      const framework = this.host.frameworks.get(client.frameworkId);
      if (!framework?.active) continue;
      let wants = false;
      for (const role of framework.roles) {
        if (client.suppressed.has(role)) continue;
        wants = true;
        const list = byRole.get(role);
        if (list) list.push({ framework, client });
        else byRole.set(role, [{ framework, client }]);
      }
      if (wants) wanting++;
    }
    // As in Mesos, a pass a change triggers looks at what changed; the periodic one sweeps too. An unbounded
    // sweep (the local cluster) is cheap enough to make on every pass.
    const sweep =
      options.sweep === false && this.sweepAgents < this.host.agents.length
        ? 0
        : this.sweepAgents + this.sweepPerFramework * wanting;
    const visit = this.agentsToVisit(sweep);
    this.lastPass = { ms: 0, agents: visit.length, offers: 0 };
    if (this.host.closed || byRole.size === 0 || visit.length === 0) return batch;
    const roles = [...byRole.keys()];
    const total = totalOf(this.host.agents);
    const sums = this.host.allocationSums();
    const pass: Pass = { now, total, sums, freeTotal: undefined, frameworkShares: new Map() };
    const roleShare = (role: string) =>
      dominantShare(sums.byRole.get(role) ?? NOTHING, total, this.weight(role));
    let restOrder: string[] | undefined;

    for (const stage of ['quota', 'rest'] as const) {
      if (stage === 'quota' && this.host.quotas.size === 0) continue;
      for (const agent of visit) {
        if (agent.deactivated || agent.partitioned) continue;
        // The rest stage keeps its roles in DRF order as offers change their shares (no sort per agent).
        const ordered =
          stage === 'quota'
            ? drfOrder(
                roles.filter((role) => this.hasUnmetGuarantee(role, sums.byRole)),
                (role) => role,
                roleShare,
              )
            : (restOrder ??= drfOrder(roles, (role) => role, roleShare));
        for (const role of ordered) {
          const first = this.firstInRole(byRole.get(role) ?? [], agent.id, pass);
          if (!first) continue;
          let resources = this.availableFor(agent, role);
          resources = this.capToLimit(role, resources, sums.byRole);
          if (stage === 'rest' && this.host.quotas.size > 0 && !this.hasUnmetGuarantee(role, sums.byRole)) {
            resources = this.keepHeadroom(resources, this.unmetGuarantees(sums.byRole), pass);
          }
          if (!allocatable(resources)) continue;
          const offer = this.host.createOffer(first.framework.id, agent, resources, role);
          if (!offer) continue;
          offer.reserved = this.reservedPart(agent, role, resources);
          this.count(pass, offer);
          if (stage === 'rest') reorder(ordered, role, roleShare);
          this.armTimer(offer);
          const list = batch.get(offer.frameworkId);
          if (list) list.push(offer);
          else batch.set(offer.frameworkId, [offer]);
          break;
        }
      }
    }
    this.lastPass.ms = performance.now() - began;
    for (const [frameworkId, offers] of batch) this.onOffers?.(frameworkId, offers);
    return batch;
  }

  /** Resources on the agent that a framework in `role` may be offered now. */
  availableFor(agent: Agent, role: string): ClusterResources {
    let available = this.host.freeOn(agent);
    if (!agent.reserved) return available;
    for (const [other, reserved] of agent.reserved) {
      if (other === role) continue;
      available = subtractResources(available, this.reservedLeft(agent, other, reserved));
    }
    return available;
  }

  /** The framework of the role that DRF serves first on this agent (refuse filters honoured). */
  private firstInRole(candidates: readonly Candidate[], agentId: string, pass: Pass): Candidate | undefined {
    let best: Candidate | undefined;
    let bestShare = Infinity;
    for (const candidate of candidates) {
      if ((candidate.client.filters.get(agentId) ?? 0) > pass.now) continue;
      const id = candidate.framework.id;
      let share = pass.frameworkShares.get(id);
      if (share === undefined) {
        share = dominantShare(pass.sums.byFramework.get(id) ?? NOTHING, pass.total);
        pass.frameworkShares.set(id, share);
      }
      if (share < bestShare || (share === bestShare && best && id < best.framework.id)) {
        best = candidate;
        bestShare = share;
      }
    }
    return best;
  }

  /** An offer made in this pass counts for its role and framework at once. */
  private count(pass: Pass, offer: OfferRecord): void {
    addInto(pass.sums.byRole, offer.role, offer.resources);
    addInto(pass.sums.byFramework, offer.frameworkId, offer.resources);
    pass.frameworkShares.delete(offer.frameworkId);
    if (pass.freeTotal) accumulateResources(pass.freeTotal, offer.resources, -1);
    this.lastPass.offers++;
  }

  /** Agents this pass visits, in order: those that changed, then the sweep. */
  private agentsToVisit(sweep: number): Agent[] {
    const all = this.host.agents;
    if (sweep >= all.length) {
      this.changed.clear();
      return [...all];
    }
    const out: Agent[] = [];
    const seen = new Set<string>();
    for (const agentId of this.changed) {
      const agent = this.host.agent(agentId);
      if (agent) {
        out.push(agent);
        seen.add(agentId);
      }
    }
    this.changed.clear();
    for (let i = 0; i < sweep && all.length > 0; i++) {
      this.cursor = this.cursor % all.length;
      const agent = all[this.cursor++] as Agent;
      if (!seen.has(agent.id)) {
        out.push(agent);
        seen.add(agent.id);
      }
    }
    return out;
  }

  /** Refuse filters that ran out are dropped (the sweep offers their agents again). */
  private expireFilters(now: number): void {
    for (const { frameworkId, agentId } of this.expiries.popUntil(now)) {
      const filters = this.clients.get(frameworkId)?.filters;
      const until = filters?.get(agentId);
      if (until !== undefined && until <= now) filters?.delete(agentId);
    }
  }

  private reservedLeft(agent: Agent, role: string, reserved: ClusterResources): ClusterResources {
    const used = this.host.usedByRoleOn(agent, role);
    const offered = sumResources(
      [...this.host.offers.values()]
        .filter((o) => o.agentId === agent.id && o.role === role)
        .map((o) => o.resources),
    );
    return { ...subtractResources(reserved, addResources(used, offered)), ports: [] };
  }

  /** The part of an offer that comes from the role's static reservation on the agent. */
  private reservedPart(agent: Agent, role: string, offered: ClusterResources): ClusterResources | undefined {
    const reserved = agent.reserved?.get(role);
    if (!reserved) return undefined;
    // The offer is already counted as offered: what the role had left before it is its reservation minus use.
    const left = subtractResources(reserved, this.host.usedByRoleOn(agent, role));
    const part = emptyResources();
    for (const key of SCALARS) part[key] = Math.min(left[key], offered[key]);
    return SCALARS.some((key) => part[key] > 0) ? part : undefined;
  }

  private weight(role: string): number {
    return this.host.weights.get(role) ?? 1;
  }

  private unmetOf(role: string, allocation: ReadonlyMap<string, Resources>): Partial<Resources> {
    const guarantee = this.host.quotas.get(role)?.guarantee;
    if (!guarantee) return {};
    const held = allocation.get(role) ?? NOTHING;
    const out: Partial<Resources> = {};
    for (const key of SCALARS) {
      const wanted = guarantee[key];
      if (wanted !== undefined) out[key] = Math.max(0, wanted - held[key]);
    }
    return out;
  }

  private hasUnmetGuarantee(role: string, allocation: ReadonlyMap<string, Resources>): boolean {
    const unmet = this.unmetOf(role, allocation);
    return SCALARS.some((key) => (unmet[key] ?? 0) > 0);
  }

  /** What every quota role still misses of its guarantee: headroom nobody else may take. */
  private unmetGuarantees(allocation: ReadonlyMap<string, Resources>): Resources {
    const out = { ...NOTHING };
    for (const role of this.host.quotas.keys()) {
      const unmet = this.unmetOf(role, allocation);
      for (const key of SCALARS) out[key] += unmet[key] ?? 0;
    }
    return out;
  }

  private capToLimit(
    role: string,
    resources: ClusterResources,
    allocation: ReadonlyMap<string, Resources>,
  ): ClusterResources {
    const limit = this.host.quotas.get(role)?.limit;
    if (!limit) return resources;
    const held = allocation.get(role) ?? NOTHING;
    const out = { ...resources };
    for (const key of SCALARS) {
      const max = limit[key];
      if (max !== undefined) out[key] = Math.max(0, Math.min(out[key], roundScalar(max - held[key])));
    }
    return out;
  }

  /** Leaves the cluster at least `headroom` of available resources after this offer. */
  private keepHeadroom(resources: ClusterResources, headroom: Resources, pass: Pass): ClusterResources {
    if (!SCALARS.some((key) => headroom[key] > 0)) return resources;
    pass.freeTotal ??= scalarsOf(
      sumResources(
        this.host.agents.filter((a) => !a.deactivated && !a.partitioned).map((a) => this.host.freeOn(a)),
      ),
    );
    const free = pass.freeTotal;
    const out = { ...resources };
    for (const key of SCALARS) {
      if (headroom[key] > 0)
        out[key] = Math.max(0, Math.min(out[key], roundScalar(free[key] - headroom[key])));
    }
    return out;
  }

  private armTimer(offer: OfferRecord): void {
    const timeout = this.offerTimeoutSecs;
    if (timeout === undefined || !(timeout > 0)) return;
    const timer = setTimeout(() => {
      this.offerTimers.delete(offer.id);
      if (!this.host.offers.has(offer.id)) return;
      this.host.rescindOffer(offer.id);
      this.agentChanged(offer.agentId);
    }, timeout * 1000);
    timer.unref();
    this.offerTimers.set(offer.id, timer);
  }

  private clearTimer(offerId: string): void {
    const timer = this.offerTimers.get(offerId);
    if (timer) clearTimeout(timer);
    this.offerTimers.delete(offerId);
  }
}

/** What one pass keeps: its clock, the cluster's total, the sums as offers are made, free resources left. */
interface Pass {
  now: number;
  total: Resources;
  sums: AllocationSums;
  /** Free resources of the schedulable agents, summed once when quota headroom needs them. */
  freeTotal: Resources | undefined;
  /** Dominant shares of frameworks, until an offer changes them. */
  frameworkShares: Map<string, number>;
}

/** Moves a role whose share grew to its place in a list in DRF order (smallest share, then name, first). */
function reorder(ordered: string[], role: string, share: (role: string) => number): void {
  const from = ordered.indexOf(role);
  if (from < 0) return;
  ordered.splice(from, 1);
  const mine = share(role);
  let at = from;
  while (at < ordered.length) {
    const next = ordered[at] as string;
    const theirs = share(next);
    if (theirs > mine || (theirs === mine && next > role)) break;
    at++;
  }
  ordered.splice(at, 0, role);
}

function scalarsOf(r: Resources): Resources {
  return { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk };
}

/** Every agent's resources, scalars only (what shares are fractions of). */
function totalOf(agents: readonly AllocatableAgent[]): Resources {
  const total = { ...NOTHING };
  for (const agent of agents) accumulateResources(total, agent.resources);
  return total;
}

/** Sums of live tasks and outstanding offers by role and by framework, by walking them all. */
export function sumAllocation(
  frameworks: Iterable<FrameworkRecord>,
  offers: Iterable<OfferRecord>,
): AllocationSums {
  const sums: AllocationSums = { byRole: new Map(), byFramework: new Map() };
  for (const framework of frameworks) {
    for (const task of framework.tasks.values()) {
      addInto(sums.byRole, task.role, task.resources);
      addInto(sums.byFramework, framework.id, task.resources);
    }
  }
  for (const offer of offers) {
    addInto(sums.byRole, offer.role, offer.resources);
    addInto(sums.byFramework, offer.frameworkId, offer.resources);
  }
  return sums;
}

function addInto(map: Map<string, Resources>, key: string, r: Resources): void {
  const held = map.get(key);
  if (held) accumulateResources(held, r);
  else map.set(key, scalarsOf(r));
}

/** Mesos offers nothing smaller than its minimum allocatable resources. */
function allocatable(r: Resources): boolean {
  return r.cpus >= MIN_CPUS || r.mem >= MIN_MEM;
}
