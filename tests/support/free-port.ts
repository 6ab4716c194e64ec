import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago: the system picks one, which is then let go. */
export const freePort = (): Promise<number> =>
  new Promise<number>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
