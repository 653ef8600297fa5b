// Test guard: any socket to a host beyond loopback fails the test at once (the house rule: no real network).
import net from 'node:net';

const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied with the socket as `this` below
const originalConnect = net.Socket.prototype.connect;

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'object' && first !== null && 'host' in first) {
    const host = (first as { host?: unknown }).host;
    return typeof host === 'string' ? host : undefined;
  }
  if (typeof first === 'number' && typeof args[1] === 'string') return args[1];
  return undefined;
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args);
  if (host !== undefined && host !== '' && !loopback.test(host)) {
    throw new Error(`test tried to reach ${host}: tests may only use loopback`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};
