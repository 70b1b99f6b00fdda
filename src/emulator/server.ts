/** Listening and stopping, the same for every emulator: loopback only, any free port on 0, a clear error when taken. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdmError } from '../errors.js';

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new IdmError(`Port ${port} on ${host} is already in use`, 'EMULATOR_PORT_IN_USE', 'pick another with --port, or --port 0 for any free port')
          : error,
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Lets requests in flight finish for a moment, then cuts what is left, keep-alive connections included. */
export function shutDown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), 1000);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
