// Starts an http.Server on a loopback port and stops it cleanly; a taken port becomes a helpful error
// (which variable moves it), not a stack trace.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgepassError } from '../common/errors.ts';

/** What to tell the user when the port cannot be bound: one line naming the variable that moves it. */
function portProblem(error: NodeJS.ErrnoException, port: number, host: string, variable: string) {
  if (error.code === 'EADDRINUSE') {
    const hint = `port ${port} (${variable}) is in use on ${host}; set ${variable} to a free port, or 0 to pick one`;
    return new EdgepassError('port_in_use', hint);
  }
  if (error.code === 'EACCES') {
    const hint = `port ${port} (${variable}) needs privileges on ${host}; set ${variable} to a port above 1023, or 0`;
    return new EdgepassError('port_denied', hint);
  }
  return error;
}

/** `variable` names what moves this port (PORT, S3_PORT, ...): a taken port's message tells the user to change it. */
export async function listenOn(server: http.Server, port: number, host: string, variable: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(portProblem(error, port, host, variable));
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
