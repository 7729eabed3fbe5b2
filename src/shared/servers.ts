import { z } from 'zod';

// Docker's container-name alphabet, a little stricter: names appear in snippets and shell lines.
export const serverNameSchema = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/,
    'use letters, digits, "_", "." or "-" (max 63), starting with a letter or digit',
  );

const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

// none: no network. egress: a network with no route out, and an allow-listing HTTP/HTTPS proxy as
// the only way out (the spec's `egress` hosts). bridge and host: open, explicit relaxations.
export const networkSchema = z.enum(['none', 'egress', 'bridge', 'host']);

// One allowed destination: `host` (ports 80 and 443), `host:port`, `*.suffix` (any name under
// it, not the suffix itself; 80 and 443) or `*.suffix:port`. Names are compared lowercase.
export const egressHostSchema = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        /^(\*\.)?[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*(:\d{1,5})?$/,
        'a host as name, name:port, *.suffix or *.suffix:port (e.g. api.context7.com, registry.npmjs.org:443)',
      )
      .refine((value) => {
        const port = value.split(':')[1];
        return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
      }, 'a port from 1 to 65535'),
  );
export const containerModeSchema = z.enum(['exec', 'run']);

export const limitsSchema = z
  .object({
    memoryMb: z.number().int().min(16).max(65536).default(512),
    cpus: z.number().min(0.05).max(64).default(1),
    pids: z.number().int().min(8).max(32768).default(256),
  })
  .strict();

// Each relaxation of the hardened defaults is one explicit, named switch the UI shows.
export const relaxationsSchema = z
  .object({
    writableRootfs: z.boolean().default(false),
    allowPrivilegeEscalation: z.boolean().default(false),
    // /tmp is mounted noexec; servers that run programs they download there (npx, uvx) need this.
    tmpExec: z.boolean().default(false),
  })
  .strict();

const userPart = String.raw`(?:\d{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31})`;
// Docker's --user: uid[:gid] or name[:group].
export const containerUserSchema = z
  .string()
  .regex(
    new RegExp(`^${userPart}(?::${userPart})?$`),
    'a user as uid[:gid] (e.g. 1000:1000) or name[:group] (e.g. node)',
  );

export const serverSpecSchema = z
  .object({
    name: serverNameSchema,
    description: z.string().max(500).optional(),
    image: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s]+$/, 'an image reference has no spaces'),
    // What a client session runs inside the container: the MCP server speaking stdio. In run
    // mode it may be empty: the image's own entrypoint and command are the server (OCI packages).
    command: z.array(z.string().min(1)),
    // exec: one long-running container, `docker exec -i` per client session (the guide's way).
    // run: a fresh `docker run -i --rm` container per session.
    mode: containerModeSchema.default('exec'),
    // The long-running container's own process in exec mode.
    keepAlive: z.array(z.string().min(1)).min(1).default(['tail', '-f', '/dev/null']),
    env: z.record(envNameSchema, z.string()).default({}),
    // Names of environment variables whose values live encrypted in MCP Dock's secret store.
    secrets: z.array(envNameSchema).default([]),
    network: networkSchema.default('none'),
    // With network "egress": where the server may connect, through MCP Dock's proxy.
    egress: z.array(egressHostSchema).max(200).default([]),
    limits: limitsSchema.default({ memoryMb: 512, cpus: 1, pids: 256 }),
    relax: relaxationsSchema.default({
      writableRootfs: false,
      allowPrivilegeEscalation: false,
      tmpExec: false,
    }),
    // Who the server runs as. Unset: the image's own user unless that is root, else 65534:65534.
    user: containerUserSchema.optional(),
    // Defaults to mcp-dock-<name>.
    containerName: serverNameSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    for (const name of spec.secrets) {
      if (name in spec.env)
        ctx.addIssue({
          code: 'custom',
          path: ['secrets'],
          message: `${name} is both a plain env var and a secret`,
        });
    }
    if (spec.command.length === 0 && spec.mode === 'exec') {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: 'a command is required (in run mode it may be left out: the image runs its own)',
      });
    }
    if (spec.egress.length > 0 && spec.network !== 'egress') {
      ctx.addIssue({
        code: 'custom',
        path: ['egress'],
        message: `an egress allow-list needs network "egress" (network is "${spec.network}")`,
      });
    }
  });

export type ServerSpec = z.infer<typeof serverSpecSchema>;
export type ServerSpecInput = z.input<typeof serverSpecSchema>;

export function containerNameOf(spec: Pick<ServerSpec, 'name' | 'containerName'>): string {
  return spec.containerName ?? `mcp-dock-${spec.name}`;
}

export const containerStateSchema = z.enum([
  // No engine to ask: whether a container exists, and its state, cannot be known.
  'unknown',
  'absent',
  'created',
  'running',
  'paused',
  'restarting',
  'exited',
  'dead',
  'removing',
]);
export type ContainerState = z.infer<typeof containerStateSchema>;

export const toolSummarySchema = z.object({ name: z.string(), description: z.string().optional() });

export const healthSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('unknown') }),
  z.object({ status: z.literal('probing') }),
  z.object({
    status: z.literal('ready'),
    checkedAt: z.iso.datetime(),
    serverName: z.string(),
    serverVersion: z.string(),
    tools: z.array(toolSummarySchema),
  }),
  z.object({
    status: z.literal('failed'),
    checkedAt: z.iso.datetime(),
    reason: z.string(),
    lastLogLines: z.array(z.string()),
  }),
]);
export type Health = z.infer<typeof healthSchema>;

export const serverViewSchema = z.object({
  spec: serverSpecSchema,
  source: z.enum(['catalog', 'user']),
  containerName: z.string(),
  container: z.object({
    state: containerStateSchema,
    id: z.string().optional(),
    // Adopted containers were not created by MCP Dock; it only starts, stops and probes them.
    adopted: z.boolean(),
    image: z.string().optional(),
    startedAt: z.string().optional(),
    exitCode: z.number().optional(),
  }),
  health: healthSchema,
  secretsSet: z.array(z.string()),
  // With network "egress": connections its proxy allowed and refused since the app started.
  egressSeen: z
    .object({
      allowed: z.number().int().min(0),
      denied: z.array(
        z.object({
          host: z.string(),
          port: z.number().int(),
          count: z.number().int().min(1),
          lastAt: z.string(),
        }),
      ),
    })
    .optional(),
  busy: z.string().optional(),
});
export type ServerView = z.infer<typeof serverViewSchema>;

export const clashChoiceSchema = z.enum(['adopt', 'rename', 'replace']);
export type ClashChoice = z.infer<typeof clashChoiceSchema>;

export const pullProgressSchema = z.object({
  image: z.string(),
  // 0..1 when the registry reports sizes, otherwise null (indeterminate).
  fraction: z.number().min(0).max(1).nullable(),
  status: z.string(),
  done: z.boolean(),
  error: z.string().optional(),
});
export type PullProgress = z.infer<typeof pullProgressSchema>;

export const logLineSchema = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  at: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

export const orphanSchema = z.object({
  id: z.string(),
  name: z.string(),
  server: z.string(),
  state: z.string(),
  // 'this': made by this data directory; 'unknown': made before containers carried the
  // instance label, so it may be another MCP Dock's.
  owner: z.enum(['this', 'unknown']),
  // Made here and nothing runs in it. Anything else is listed for the user to judge.
  safeToRemove: z.boolean(),
});
export type Orphan = z.infer<typeof orphanSchema>;
