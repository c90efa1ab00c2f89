import { format } from 'date-fns';
import { isoTime } from '../../../../mesos/time';
import { useTime } from '../../../components/time/time-context';

/** A wall-clock time for "stale since": `14:03:05`, with the date when it is not today. */
export function StaleSince({ ms }: { ms: number }) {
  const { now } = useTime();
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return (
    <time dateTime={new Date(ms).toISOString()} title={isoTime(ms)}>
      {format(ms, sameDay ? 'HH:mm:ss' : 'yyyy-MM-dd HH:mm:ss')}
    </time>
  );
}
