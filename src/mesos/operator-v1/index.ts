export {
  v1AgentToV0,
  v1ExecutorToV0,
  v1FrameworkToV0,
  v1OfferToV0,
  v1StatusToV0,
  v1TaskToV0,
} from './entities';
export { OperatorEventReader, STREAM_FROM_BYTES } from './event-reader';
export type { RecordProgress, SnapshotList } from './event-reader';
export { parseOperatorEvent } from './events';
export type { OperatorEvent } from './events';
export { v1ReservationsToV0, v1ResourcesToV0 } from './resources';
export { unwrapV1, v1MasterHeaderToV0, v1StateToV0 } from './state';
export { StreamState } from './stream-state';
export type { MasterHeader } from './state';
