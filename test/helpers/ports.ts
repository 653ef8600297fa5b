// Loopback ports for tests that start servers on fixed ports: free ones to hand out, a blocker that holds one, and a
// probe that tells whether anything still listens.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** `count` distinct ports that were free a moment ago (the OS hands them out; reused only after a while). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve) => {
        server.listen(0, '127.0.0.1', () => {
          resolve(server);
        });
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Holds `port` on 127.0.0.1 until closed, as another program would. */
export async function occupy(port: number): Promise<{ close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** The ports of `ports` that something still listens on. */
export async function listening(ports: readonly number[]): Promise<number[]> {
  const open = await Promise.all(ports.map(async (port) => ((await isListening(port)) ? [port] : [])));
  return open.flat();
}
