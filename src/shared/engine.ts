import { z } from 'zod';

// Where the engine answers (or should): `unix:///var/run/docker.sock`, `tcp://host:2376`, `npipe:...`.
const endpointFields = {
  endpoint: z.string(),
  // Why this endpoint was chosen: the DOCKER_HOST variable, or which well-known socket.
  source: z.string(),
  checkedAt: z.iso.datetime(),
};

export const engineStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('checking'), ...endpointFields }),
  z.object({
    state: z.literal('reachable'),
    ...endpointFields,
    product: z.string(),
    version: z.string(),
    apiVersion: z.string(),
    os: z.string(),
    arch: z.string(),
  }),
  z.object({
    state: z.literal('unreachable'),
    ...endpointFields,
    reason: z.string(),
    hint: z.string(),
  }),
]);

export type EngineStatus = z.infer<typeof engineStatusSchema>;
export type EngineState = EngineStatus['state'];
