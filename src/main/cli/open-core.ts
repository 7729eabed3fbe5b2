import { createCore, type Core } from '../core/create-core';
import { resolveDataDir } from '../core/store/data-dir';
import { EngineUnavailableError } from '../core/errors';
import { hintForCommand } from '../core/docker/engine-errors';
import type { CliIo } from './io';

// CLI commands use the same core as the app, minus the HTTP server: the app may be running and
// own the port. The core is closed however the command ends.
export async function withCore<T>(
  io: CliIo,
  dataDirFlag: string | undefined,
  dockerHost: string | undefined,
  work: (core: Core) => Promise<T>,
): Promise<T> {
  const core = await createCore({
    mode: 'headless',
    dataDir: resolveDataDir({ flag: dataDirFlag, env: io.env }),
    dockerHost,
    env: io.env,
    http: false,
  });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

export async function requireEngine(core: Core): Promise<void> {
  const status = await core.engine.recheck();
  if (status.state !== 'reachable') {
    throw status.state === 'unreachable'
      ? new EngineUnavailableError(status.reason, hintForCommand(status.hint))
      : new EngineUnavailableError('still connecting');
  }
  await core.containers.refresh();
}
