import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Dash } from '../../../components/detail/detail-parts';

export function OptionalText({ text }: { text: string | null }) {
  return text ? <ClusterText text={text} /> : <Dash />;
}
