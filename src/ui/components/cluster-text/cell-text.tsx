import { ClusterText } from './cluster-text';

/**
 * Free text from the cluster inside a table cell: isolated and flagged like `ClusterText`, never cut with a
 * button (the cell ellipsizes it), whole in the tooltip.
 */
export function CellText({ text }: { text: string }) {
  return (
    <span title={text}>
      <ClusterText text={text} max={Number.POSITIVE_INFINITY} />
    </span>
  );
}
