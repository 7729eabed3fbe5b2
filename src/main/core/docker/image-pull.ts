import type Docker from 'dockerode';
import type { PullProgress } from '../../../shared/servers';
import { PullFailedError } from '../errors';

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

// Where there is no registry (offline, air-gapped, an image that only ever existed locally), the
// image has to reach the engine another way: built here, or saved elsewhere and loaded here.
export function withoutRegistryHint(image: string): string {
  return `Without a registry, build the image on this machine (\`docker build -t ${image} .\` in the folder with its Dockerfile), or copy it from a machine that has it (\`docker save ${image} -o image.tar\` there, \`docker load -i image.tar\` here); then start the server again.`;
}

// Registry errors arrive as Go error strings; say what they mean first, keep the detail, and say
// what to do when pulling cannot work.
export function describePullError(message: string, image?: string): string {
  const hint = image ? ` ${withoutRegistryHint(image)}` : '';
  if (
    /no such host|dial tcp|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable/i.test(
      message,
    )
  ) {
    return `the registry cannot be reached from the Docker engine (${message}).${hint}`;
  }
  if (/not found|manifest unknown|repository does not exist|pull access denied/i.test(message)) {
    return `the image does not exist or needs a login (${message}). If it is your own image, it was never in a registry.${hint}`;
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
    const reason = describePullError(message, image);
    onProgress({ image, fraction: null, status: 'failed', done: true, error: reason });
    throw new PullFailedError(image, reason, { cause: error });
  }
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: PullEvent[]) => {
        const failed = error?.message ?? output?.find((e) => e.error)?.error;
        if (failed) {
          const reason = describePullError(failed, image);
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
