// `pwguard breach build` runs the build here, in a worker thread: the build is synchronous for
// minutes, so the main thread stays free to hear SIGINT/SIGTERM, stop it and remove its
// temporary files (breach.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { InputError, StoreError, buildStore, type BuildOptions, type BuildProgress, type BuildResult } from '@pwguard/breach';
import { OutputFileError } from '@pwguard/files';

/** The build options that cross to the worker (no callbacks), and whether to send progress. */
export type BuildRequest = Omit<BuildOptions, 'onProgress' | 'onWarning'> & { readonly progress: boolean };

export type BuildMessage =
  | { readonly type: 'progress'; readonly progress: BuildProgress }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'done'; readonly result: BuildResult }
  /** `user`: a problem the user can fix (one line, exit 2); otherwise an internal error. */
  | { readonly type: 'error'; readonly message: string; readonly user: boolean };

const port = parentPort;
if (port) {
  const { progress, ...options } = workerData as BuildRequest;
  const send = (m: BuildMessage): void => port.postMessage(m);
  try {
    const result = await buildStore({
      ...options,
      ...(progress ? { onProgress: (p: BuildProgress) => send({ type: 'progress', progress: p }) } : {}),
      onWarning: (message) => send({ type: 'warning', message }),
    });
    send({ type: 'done', result });
  } catch (err) {
    const user = err instanceof InputError || err instanceof StoreError || err instanceof RangeError || err instanceof OutputFileError;
    send({ type: 'error', message: err instanceof Error ? err.message : String(err), user });
  }
}
