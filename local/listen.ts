// Starts an http.Server on a loopback port and stops it cleanly; a taken port becomes a helpful error
// (which variable moves it), not a stack trace.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgepassError } from '../common/errors.ts';

export async function listenOn(server: http.Server, port: number, host: string, variable: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        const hint = `port ${port} on ${host} is already in use: stop what runs there, or choose another port, e.g. ${variable}=${port + 1} npm start`;
        reject(new EdgepassError('port_in_use', hint));
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server, cutting idle keep-alive connections so that shutdown never hangs. */
export async function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
    }, 1_000).unref();
  });
}
