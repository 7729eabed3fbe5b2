import type Docker from 'dockerode';
import type { PullProgress } from '../../../shared/servers';
import { PullFailedError } from '../errors';

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

// Registry errors arrive as Go error strings; say what they mean first, keep the detail.
export function describePullError(message: string): string {
  if (
    /no such host|dial tcp|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable/i.test(
      message,
    )
  ) {
    return `the registry cannot be reached from the Docker engine (${message})`;
  }
  if (/not found|manifest unknown|repository does not exist|pull access denied/i.test(message)) {
    return `the image does not exist or needs a login (${message})`;
  }
  if (/unauthorized|authentication required/i.test(message))
    return `the registry refused the credentials (${message})`;
  return message;
}

// Streams the engine's pull progress as one fraction over all layers that report sizes.
export async function pullImage(
  docker: Docker,
  image: string,
  onProgress: (p: PullProgress) => void,
): Promise<void> {
  const layers = new Map<string, { current: number; total: number }>();
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image);
  } catch (error) {
    const message = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message;
    onProgress({ image, fraction: null, status: 'failed', done: true, error: describePullError(message) });
    throw new PullFailedError(image, describePullError(message), { cause: error });
  }
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: PullEvent[]) => {
        const failed = error?.message ?? output?.find((e) => e.error)?.error;
        if (failed) {
          const reason = describePullError(failed);
          onProgress({ image, fraction: null, status: 'failed', done: true, error: reason });
          reject(new PullFailedError(image, reason, { cause: error }));
          return;
        }
        onProgress({ image, fraction: 1, status: 'complete', done: true });
        resolve();
      },
      (event: PullEvent) => {
        if (event.id && event.progressDetail?.total) {
          layers.set(event.id, {
            current: event.progressDetail.current ?? 0,
            total: event.progressDetail.total,
          });
        }
        let current = 0;
        let total = 0;
        for (const layer of layers.values()) {
          current += layer.current;
          total += layer.total;
        }
        onProgress({
          image,
          fraction: total > 0 ? Math.min(1, current / total) : null,
          status: event.status ?? 'pulling',
          done: false,
        });
      },
    );
  });
}
