import { formatBytes } from '../../../components/resources/format';
import { useFileHead } from '../api/read-bytes';
import type { FileSource } from '../utils/file-source';
import { downloadUrl } from '../utils/file-source';
import { hexDump } from '../utils/hex-dump';
import { formatCount } from '../../../components/counts/format-count';

/** How much of a binary file the hex view shows; the rest is a download away. */
const HEX_VIEW_LIMIT = 64 * 1024;

/** The start of a binary file as `hexdump -C` shows it: offset, 16 bytes in hex, and their printable ASCII. */
export function HexView({ source, path }: { source: FileSource; path: string }) {
  const head = useFileHead(source, path, HEX_VIEW_LIMIT, true);
  if (head.isPending)
    return (
      <p className="log-placeholder" role="status">
        Reading bytes…
      </p>
    );
  if (head.isError)
    return (
      <p className="file-viewer-error" role="alert">
        Cannot read the file's bytes: {head.error.message}
      </p>
    );
  const { bytes, more } = head.data;
  const lines = hexDump(bytes);
  return (
    <div className="hex-view" data-testid="hex-view">
      <pre aria-label={`Bytes of ${path} in hexadecimal`}>
        {lines.map((line) => (
          <div key={line.offset} className="hex-line">
            <span className="hex-offset">{line.offset}</span>
            <span className="hex-bytes">{line.hex.padEnd(49)}</span>
            <span className="hex-ascii">|{line.ascii}|</span>
          </div>
        ))}
      </pre>
      <p className="hex-view-end" role="status">
        {more ? (
          <>
            The first {formatBytes(bytes.length)}; <a href={downloadUrl(source, path)}>download</a> the file
            for the rest.
          </>
        ) : (
          `${formatCount(bytes.length)} bytes`
        )}
      </p>
    </div>
  );
}
