import { ClusterText } from '../../../components/cluster-text/cluster-text';

/** What a summary shows for a value the cluster did not report. */
export function Dash() {
  return <span className="muted">-</span>;
}

export function OptionalText({ text }: { text: string | null }) {
  return text ? <ClusterText text={text} /> : <Dash />;
}
