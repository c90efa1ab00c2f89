/**
 * The master's allocator, after Mesos's hierarchical allocator (src/master/allocator/mesos/hierarchical.cpp):
 * every allocation interval (and soon after a change that frees resources or adds a framework) each agent's
 * available resources go to one framework, chosen by DRF across roles (weighted) and then across the role's
 * frameworks. Roles below their quota guarantee are served first; other roles never get the headroom those
 * guarantees still need, and no role gets past its quota limit. Refuse filters, suppressed roles and offer
 * timeouts are honoured.
 */
import type { LocalAgent } from '../../agent/agent-node';
import type { ClusterCore } from '../cluster-core';
import type { FrameworkRecord, OfferRecord } from '../model';
import { addResources, emptyResources, subtractResources, sumResources } from '../resources';
import type { ClusterResources } from '../resources';
import { dominantShare, drfOrder } from './drf';
import { roundScalar } from '../../../mesos/resources';

/** Mesos's `--allocation_interval` default. */
export const DEFAULT_ALLOCATION_INTERVAL_MS = 1000;
/** `Filters.refuse_seconds` default (mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** Mesos's `--min_allocatable_resources` default: `cpus:0.01|mem:32`. */
const MIN_CPUS = 0.01;
const MIN_MEM = 32;

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;

export interface AllocatorOptions {
  allocationIntervalMs?: number;
  /** Mesos's `--offer_timeout`: outstanding offers are rescinded after this long (default: never). */
  offerTimeoutSecs?: number;
}

/** What the allocator knows of one framework it makes offers to. */
interface Client {
  frameworkId: string;
  /** Agent id -> when the refusal ends (ms since epoch). */
  filters: Map<string, number>;
  /** Roles the framework asked no offers for. */
  suppressed: Set<string>;
}

/** Offers made in one allocation pass, by framework. */
export type OfferBatch = Map<string, OfferRecord[]>;

export class Allocator {
  /** Called once per pass with the offers each framework got. */
  onOffers: ((frameworkId: string, offers: OfferRecord[]) => void) | undefined;
  private readonly clients = new Map<string, Client>();
  private readonly offerTimers = new Map<string, NodeJS.Timeout>();
  private interval: NodeJS.Timeout | undefined;
  private pending: NodeJS.Immediate | undefined;
  private intervalMs: number;
  private offerTimeoutSecs: number | undefined;

  constructor(
    private readonly core: ClusterCore,
    options: AllocatorOptions = {},
  ) {
    this.intervalMs = options.allocationIntervalMs ?? DEFAULT_ALLOCATION_INTERVAL_MS;
    this.offerTimeoutSecs = options.offerTimeoutSecs;
  }

  /** Changes the allocation interval or offer timeout (before {@link start}). */
  configure(options: AllocatorOptions): void {
    if (options.allocationIntervalMs !== undefined) this.intervalMs = options.allocationIntervalMs;
    if (options.offerTimeoutSecs !== undefined) this.offerTimeoutSecs = options.offerTimeoutSecs;
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
    for (const offer of [...this.core.offers.values()]) {
      if (offer.frameworkId === frameworkId) this.core.rescindOffer(offer.id);
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
    const offer = this.core.offers.get(offerId);
    if (!offer) return undefined;
    this.core.offers.delete(offerId);
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
      client.filters.set(agentId, Math.max(current, until));
    }
    this.trigger();
  }

  /** DECLINE: the offers return to the pool with a refuse filter. */
  decline(frameworkId: string, offerIds: readonly string[], refuseSeconds = DEFAULT_REFUSE_SECONDS): void {
    for (const offerId of offerIds) {
      const offer = this.core.offers.get(offerId);
      if (!offer || offer.frameworkId !== frameworkId) continue;
      this.takeOffer(offerId);
      this.core.counters.offersDeclined++;
      this.recover(frameworkId, offer.agentId, refuseSeconds);
    }
  }

  /** SUPPRESS: no offers for these roles (all of the framework's roles when none is named). */
  suppress(frameworkId: string, roles: readonly string[] = []): void {
    const client = this.clients.get(frameworkId);
    if (!client) return;
    const all = this.core.frameworks.get(frameworkId)?.roles ?? [];
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

  /** Roles of the framework that are suppressed right now. */
  suppressedRoles(framework: FrameworkRecord): string[] {
    const client = this.clients.get(framework.id);
    if (!client) return [];
    return framework.roles.filter((role) => client.suppressed.has(role));
  }

  /** Runs an allocation soon, once, however many changes ask for it now. */
  trigger(): void {
    if (this.pending || this.core.closed) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.allocate();
    });
  }

  /** One allocation pass over every agent. */
  allocate(): OfferBatch {
    const batch: OfferBatch = new Map();
    if (this.core.closed || this.clients.size === 0) return batch;
    const agents = this.core.agents.filter((a) => !a.deactivated && !a.partitioned);
    if (agents.length === 0) return batch;
    const total = sumResources(this.core.agents.map((a) => a.resources));
    const now = Date.now();
    const candidates: { framework: FrameworkRecord; client: Client }[] = [];
    for (const client of this.clients.values()) {
      const framework = this.core.frameworks.get(client.frameworkId);
      if (framework?.active) candidates.push({ framework, client });
    }
    if (candidates.length === 0) return batch;
    const roles = [...new Set(candidates.flatMap((c) => c.framework.roles))];

    for (const stage of ['quota', 'rest'] as const) {
      for (const agent of agents) {
        const allocation = this.allocationByRole();
        const headroom = this.unmetGuarantees(allocation);
        const stageRoles =
          stage === 'quota'
            ? roles.filter((role) => SCALARS.some((key) => (this.unmetOf(role, allocation)[key] ?? 0) > 0))
            : roles;
        const ordered = drfOrder(
          stageRoles,
          (role) => role,
          (role) => dominantShare(allocation.get(role) ?? emptyResources(), total, this.weight(role)),
        );
        for (const role of ordered) {
          const inRole = candidates.filter(
            ({ framework, client }) =>
              framework.roles.includes(role) &&
              !client.suppressed.has(role) &&
              (client.filters.get(agent.id) ?? 0) <= now,
          );
          const frameworks = drfOrder(
            inRole,
            ({ framework }) => framework.id,
            ({ framework }) => dominantShare(this.allocationOf(framework.id), total),
          );
          const first = frameworks[0];
          if (!first) continue;
          let resources = this.availableFor(agent, role);
          resources = this.capToLimit(role, resources, allocation);
          if (stage === 'rest' && !this.hasUnmetGuarantee(role, allocation)) {
            resources = this.keepHeadroom(resources, headroom, agents);
          }
          if (!allocatable(resources)) continue;
          const offer = this.core.createOffer(first.framework.id, agent, resources, role);
          if (!offer) continue;
          offer.reserved = this.reservedPart(agent, role, resources);
          this.armTimer(offer);
          const list = batch.get(offer.frameworkId);
          if (list) list.push(offer);
          else batch.set(offer.frameworkId, [offer]);
          break;
        }
      }
    }
    for (const [frameworkId, offers] of batch) this.onOffers?.(frameworkId, offers);
    return batch;
  }

  /** Resources on the agent that a framework in `role` may be offered now. */
  availableFor(agent: LocalAgent, role: string): ClusterResources {
    let available = this.core.freeOn(agent);
    for (const [other, reserved] of agent.reserved) {
      if (other === role) continue;
      available = subtractResources(available, this.reservedLeft(agent, other, reserved));
    }
    return available;
  }

  private reservedLeft(agent: LocalAgent, role: string, reserved: ClusterResources): ClusterResources {
    const used = sumResources(
      this.core
        .liveTasks(agent.id)
        .filter((t) => t.role === role)
        .map((t) => t.resources),
    );
    const offered = sumResources(
      [...this.core.offers.values()]
        .filter((o) => o.agentId === agent.id && o.role === role)
        .map((o) => o.resources),
    );
    return { ...subtractResources(reserved, addResources(used, offered)), ports: [] };
  }

  /** The part of an offer that comes from the role's static reservation on the agent. */
  private reservedPart(
    agent: LocalAgent,
    role: string,
    offered: ClusterResources,
  ): ClusterResources | undefined {
    const reserved = agent.reserved.get(role);
    if (!reserved) return undefined;
    // The offer is already counted as offered: what the role had left before it is its reservation minus use.
    const used = sumResources(
      this.core
        .liveTasks(agent.id)
        .filter((t) => t.role === role)
        .map((t) => t.resources),
    );
    const left = subtractResources(reserved, used);
    const part = emptyResources();
    for (const key of SCALARS) part[key] = Math.min(left[key], offered[key]);
    return SCALARS.some((key) => part[key] > 0) ? part : undefined;
  }

  /** Resources each role holds: its live tasks and its offers. */
  allocationByRole(): Map<string, ClusterResources> {
    const out = new Map<string, ClusterResources>();
    const add = (role: string, r: ClusterResources) =>
      out.set(role, addResources(out.get(role) ?? emptyResources(), r));
    for (const task of this.core.liveTasks()) add(task.role, task.resources);
    for (const offer of this.core.offers.values()) add(offer.role, offer.resources);
    return out;
  }

  /** Resources one framework holds (tasks and offers), what DRF sorts frameworks by. */
  allocationOf(frameworkId: string): ClusterResources {
    const framework = this.core.frameworks.get(frameworkId);
    const tasks = framework ? [...framework.tasks.values()].map((t) => t.resources) : [];
    const offers = [...this.core.offers.values()]
      .filter((o) => o.frameworkId === frameworkId)
      .map((o) => o.resources);
    return sumResources([...tasks, ...offers]);
  }

  private weight(role: string): number {
    return this.core.weights.get(role) ?? 1;
  }

  private unmetOf(role: string, allocation: Map<string, ClusterResources>): Partial<ClusterResources> {
    const guarantee = this.core.quotas.get(role)?.guarantee;
    if (!guarantee) return {};
    const held = allocation.get(role) ?? emptyResources();
    const out: Partial<Record<(typeof SCALARS)[number], number>> = {};
    for (const key of SCALARS) {
      const wanted = guarantee[key];
      if (wanted !== undefined) out[key] = Math.max(0, wanted - held[key]);
    }
    return out;
  }

  private hasUnmetGuarantee(role: string, allocation: Map<string, ClusterResources>): boolean {
    const unmet = this.unmetOf(role, allocation);
    return SCALARS.some((key) => (unmet[key] ?? 0) > 0);
  }

  /** What every quota role still misses of its guarantee: headroom nobody else may take. */
  private unmetGuarantees(allocation: Map<string, ClusterResources>): ClusterResources {
    const out = emptyResources();
    for (const role of this.core.quotas.keys()) {
      const unmet = this.unmetOf(role, allocation);
      for (const key of SCALARS) out[key] += unmet[key] ?? 0;
    }
    return out;
  }

  private capToLimit(
    role: string,
    resources: ClusterResources,
    allocation: Map<string, ClusterResources>,
  ): ClusterResources {
    const limit = this.core.quotas.get(role)?.limit;
    if (!limit) return resources;
    const held = allocation.get(role) ?? emptyResources();
    const out = { ...resources };
    for (const key of SCALARS) {
      const max = limit[key];
      if (max !== undefined) out[key] = Math.max(0, Math.min(out[key], roundScalar(max - held[key])));
    }
    return out;
  }

  /** Leaves the cluster at least `headroom` of available resources after this offer. */
  private keepHeadroom(
    resources: ClusterResources,
    headroom: ClusterResources,
    agents: readonly LocalAgent[],
  ): ClusterResources {
    if (!SCALARS.some((key) => headroom[key] > 0)) return resources;
    const free = sumResources(agents.map((a) => this.core.freeOn(a)));
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
      if (!this.core.offers.has(offer.id)) return;
      this.core.rescindOffer(offer.id);
      this.trigger();
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

/** Mesos offers nothing smaller than its minimum allocatable resources. */
function allocatable(r: ClusterResources): boolean {
  return r.cpus >= MIN_CPUS || r.mem >= MIN_MEM;
}
