import type { ReactNode } from 'react';

/** A tile's frame: a heading that reads from across the room, an optional figure beside it, and the body. */
export function WallTile({
  title,
  figure,
  children,
  testId,
}: {
  title: string;
  figure?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <div className="wall-tile-inner" data-testid={testId}>
      <header className="wall-tile-header">
        <h2>{title}</h2>
        {figure !== undefined && <span className="wall-tile-figure">{figure}</span>}
      </header>
      <div className="wall-tile-body">{children}</div>
    </div>
  );
}

/** What a tile shows before its first data: never a blank tile. */
export function TileWaiting({ what = 'Waiting for data…' }: { what?: string }) {
  return <p className="wall-waiting">{what}</p>;
}
