// A unix socket only its owner may connect to: the daemon's control socket and the sim board's
// press-a-button socket. Created under umask 0177 so there is no moment in which it is open to
// others (a chmod after listen would leave one), left by a killed process as a stale socket
// file that is removed first, never a regular file of the same name (that is an error).
// In drivers/ as an operating-system helper both firmware/ and simulators/ may import.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';

/** Removes a socket left at `path` by a process that died; anything else there stays. */
export function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export interface PrivateSocket {
  readonly path: string;
  /** Stops listening and removes the socket file. */
  close(): Promise<void>;
}

/** Listens on `path` with mode 0600; on failure the server is closed and the error thrown. */
export async function listenPrivate(server: Server, path: string): Promise<PrivateSocket> {
  removeStaleSocket(path);
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  try {
    chmodSync(path, 0o600); // the umask already did it; says so for file systems that ignore it
  } catch (err) {
    server.close();
    throw err;
  }
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        removeStaleSocket(path);
      }),
  };
}
