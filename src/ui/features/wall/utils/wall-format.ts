import type { ResourceKind } from '../../../components/resources/format';
import { formatResource } from '../../../components/resources/format';

const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** An amount as it reads from across the room: `26,091` CPUs, `1.5` CPUs, `51.0 TB`. */
export function wallAmount(kind: ResourceKind, value: number): string {
  if (kind === 'mem' || kind === 'disk') return formatResource(kind, value);
  return Math.abs(value) >= 100 ? whole.format(value) : oneDecimal.format(value);
}

export function wholeNumber(value: number): string {
  return whole.format(value);
}
