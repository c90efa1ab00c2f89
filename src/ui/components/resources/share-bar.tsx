import type { ResourceKind } from '../../../mesos/resources';
import { formatUsage } from './format';

/** How full a bar looks: calm below 75 %, a warning to 90 %, then alarming. */
function tone(share: number): 'ok' | 'warn' | 'bad' {
  return share >= 0.9 ? 'bad' : share >= 0.75 ? 'warn' : 'ok';
}

/**
 * The share of a resource that is allocated, as a percentage with a bar ("75 %"), the amounts in its tooltip
 * ("3 / 4 allocated"). An agent without the resource shows a dash.
 */
export function ShareBar({ kind, used, total }: { kind: ResourceKind; used: number; total: number }) {
  const amounts = `${formatUsage(kind, used, total)} allocated`;
  if (!(total > 0)) {
    return (
      <span className="muted" title={amounts}>
        -
      </span>
    );
  }
  const share = Math.min(1, Math.max(0, used / total));
  const percent = Math.round(share * 100);
  return (
    <span className="share-bar" title={amounts}>
      <span className="share-bar-track" aria-hidden="true">
        <span className={`share-bar-fill tone-fill-${tone(share)}`} style={{ width: `${share * 100}%` }} />
      </span>
      <span className="share-bar-value">{percent}%</span>
    </span>
  );
}
