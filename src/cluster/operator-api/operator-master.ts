import type { FileAttachments } from '../http/files-api';
import type { RoleView } from '../master/master-fields';
import type { MasterWrites } from './master-writes';
import type { FrameworkRecord, OfferRecord } from '../master/model';
import type { ClusterResources } from '../master/resources';
import type { MasterEventBus } from './master-events';

/** An agent as the operator API describes it. */
export interface OperatorAgent {
  readonly id: string;
  readonly hostname: string;
  readonly port: number;
  /** libprocess pid, e.g. `slave(1)@127.0.0.1:5051` (simulated agents share a port as `slave(N)`). */
  readonly pid: string;
  readonly resources: ClusterResources;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly registeredTime: number;
  readonly deactivated?: boolean;
  /** Reservations by role; the rest of `resources` is unreserved. */
  readonly reserved?: ReadonlyMap<string, ClusterResources>;
  /** The dynamic part of `reserved`, by role (the rest is static). */
  readonly dynamicReservations?: ReadonlyMap<
    string,
    { resources: ClusterResources; principal: string | undefined }
  >;
  readonly drain?: {
    state: 'DRAINING' | 'DRAINED';
    maxGracePeriodSecs: number | undefined;
    markGone: boolean;
    startTime: number;
  };
}

/**
 * What the v1 operator API (`POST /api/v1`) reads from a master: any master model, through
 * `operatorMasterOf` (core-master.ts), so the local and the simulated clusters speak the same API.
 */
export interface OperatorMaster {
  readonly masterId: string;
  readonly host: string;
  readonly masterPort: number;
  readonly pid: string;
  readonly startTime: number;
  readonly electedTime: number;
  agentList(): Iterable<OperatorAgent>;
  usedOn(agentId: string): ClusterResources;
  offeredOn(agentId: string): ClusterResources;
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  readonly completedFrameworks: readonly FrameworkRecord[];
  readonly offers: ReadonlyMap<string, OfferRecord>;
  /** `--flags` as strings, like `/master/flags`. */
  flags(): Record<string, string>;
  /** The `/metrics/snapshot` keys. */
  metrics(): Record<string, number>;
  readonly events: MasterEventBus;
  /** Every known role as `/master/roles` lists it (GET_ROLES agrees with it). */
  roles(): readonly RoleView[];
  /** `/master/weights`: the roles given a weight. */
  weights(): readonly { role: string; weight: number }[];
  /** `/master/quota`: each role's guarantees and limits. */
  quotas(): readonly {
    role: string;
    guarantee?: Readonly<Record<string, number | undefined>>;
    limit?: Readonly<Record<string, number | undefined>>;
  }[];
  /** What `/master/maintenance/schedule` and `/master/maintenance/status` serve. */
  readonly maintenance: { readonly schedule: unknown; readonly status: unknown };
  /** The master's `/files` (LIST_FILES, READ_FILE). */
  readonly files: FileAttachments;
  /** The operator writes this master supports; without them, write calls answer 501. */
  readonly writes?: MasterWrites;
}
