import { createServer } from 'node:net';

/**
 * A TCP port the OS reports free right now, for the benchmark harness and the
 * end-to-end suites that start Baton processes. Fixed port ranges collided
 * with processes a failed earlier run left behind; asking the OS avoids that
 * (a port can still be taken between this call and the service's listen,
 * which the callers report with the service's own log).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}
