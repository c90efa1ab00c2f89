/** Starts the local Marathon: its HTTP server (8080 when free), then the framework on the master. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { marathonHandler } from './api';
import { Marathon } from './marathon';

export { Marathon } from './marathon';

export interface LocalMarathonOptions {
  /** The master, or every master of an HA cluster. */
  masterUrl: string | string[];
  /** Port to listen on: default 8080 when free, else any free port; 0 = any free port. */
  port?: number;
  host?: string;
  role?: string;
  frameworkName?: string;
  log?: (line: string) => void;
}

export interface LocalMarathon {
  url: string;
  marathon: Marathon;
  close(): Promise<void>;
}

export async function startMarathon(options: LocalMarathonOptions): Promise<LocalMarathon> {
  const host = options.host ?? '127.0.0.1';
  // Until the framework is subscribed the API answers 503, as a Marathon that is not yet leading does.
  let handle: ReturnType<typeof marathonHandler> = async (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: 'Marathon is starting' }));
  };
  const server = createServer((req, res) => void handle(req, res));
  const port = await listen(server, host, options.port ?? 8080, options.port === undefined);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const marathon = new Marathon({
    masterUrl: options.masterUrl,
    url,
    role: options.role,
    frameworkName: options.frameworkName,
    log: options.log,
  });
  handle = marathonHandler(marathon);
  try {
    await marathon.start();
  } catch (error) {
    server.close();
    throw error;
  }
  options.log?.(`marathon listening at ${url}`);
  return {
    url,
    marathon,
    close: async () => {
      await marathon.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, host: string, port: number, fallback: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (fallback && error.code === 'EADDRINUSE' && port !== 0) {
        server.listen(0, host);
        return;
      }
      server.off('error', onError);
      reject(error);
    };
    server.on('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
    server.listen(port, host);
  });
}
