import { z } from 'zod';

export const CLIENT_IDS = ['cursor', 'claude-desktop', 'vscode', 'windsurf', 'claude-code'] as const;
export const clientIdSchema = z.enum(CLIENT_IDS);
export type ClientId = z.infer<typeof clientIdSchema>;

export const CLIENT_LABELS: Record<ClientId, string> = {
  cursor: 'Cursor',
  'claude-desktop': 'Claude Desktop',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  'claude-code': 'Claude Code',
};

// How a stdio client launches the server: exactly what goes into its config.
export const stdioLaunchSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).optional(),
});
export type StdioLaunch = z.infer<typeof stdioLaunchSchema>;

export const snippetSchema = z.object({
  client: clientIdSchema,
  server: z.string(),
  // The entry's name inside the client's config.
  entryName: z.string(),
  format: z.enum(['json', 'shell']),
  // What to paste: a whole config file for JSON clients, a command line for Claude Code.
  text: z.string(),
  launch: stdioLaunchSchema,
  // Where that client keeps its config on this OS (for the user to find, and for "Add to client").
  configPath: z.string().optional(),
  // One-click install links where the client supports them.
  deepLink: z.string().optional(),
});
export type Snippet = z.infer<typeof snippetSchema>;

export const clientConfigChangeSchema = z.object({
  path: z.string(),
  backup: z.string().optional(),
  changed: z.boolean(),
});
export type ClientConfigChange = z.infer<typeof clientConfigChangeSchema>;
