import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.literal('MCP Dock'),
  version: z.string(),
  mode: z.enum(['desktop', 'headless']),
  dataDir: z.string(),
  // Core's HTTP server: OAuth, /mcp and /healthz live here.
  httpUrl: z.url(),
});

export type AppInfo = z.infer<typeof appInfoSchema>;
