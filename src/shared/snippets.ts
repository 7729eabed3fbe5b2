import { z } from 'zod';

export const CLIENT_IDS = [
  'cursor',
  'claude-desktop',
  'vscode',
  'windsurf',
  'claude-code',
  'zed',
  'cline',
  'roo-code',
  'continue',
  'gemini-cli',
  'codex-cli',
  'goose',
  'lm-studio',
  'opencode',
  'jetbrains',
  'kiro',
] as const;
export const clientIdSchema = z.enum(CLIENT_IDS);
export type ClientId = z.infer<typeof clientIdSchema>;

export const CLIENT_LABELS: Record<ClientId, string> = {
  cursor: 'Cursor',
  'claude-desktop': 'Claude Desktop',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  'claude-code': 'Claude Code',
  zed: 'Zed',
  cline: 'Cline',
  'roo-code': 'Roo Code',
  continue: 'Continue',
  'gemini-cli': 'Gemini CLI',
  'codex-cli': 'Codex CLI',
  goose: 'Goose',
  'lm-studio': 'LM Studio',
  opencode: 'opencode',
  jetbrains: 'JetBrains AI Assistant',
  kiro: 'Kiro',
};

// What a snippet is written in: the client's config file format, or a command line.
export const snippetFormatSchema = z.enum(['json', 'yaml', 'toml', 'shell']);
export type SnippetFormat = z.infer<typeof snippetFormatSchema>;

export interface ClientFacts {
  format: SnippetFormat;
  // MCP Dock can write the entry into the client's own config file ("Add to …").
  writable: boolean;
  // The client reaches a server by URL and signs in with OAuth itself, as MCP Dock's endpoints
  // require; every other client gets the `mcp-dock gateway --stdio` relay.
  url: boolean;
  // Where to put the snippet when there is no file to merge it into.
  pasteInto?: string;
}

// What the panel needs to know per client without asking core (core's descriptors in
// core/clients/client-kinds/ agree with this table; a test checks it).
export const CLIENT_FACTS: Record<ClientId, ClientFacts> = {
  cursor: { format: 'json', writable: true, url: true },
  'claude-desktop': { format: 'json', writable: true, url: false },
  vscode: { format: 'json', writable: true, url: true },
  windsurf: { format: 'json', writable: true, url: true },
  'claude-code': { format: 'shell', writable: false, url: true },
  zed: { format: 'json', writable: true, url: true },
  cline: { format: 'json', writable: true, url: true },
  'roo-code': { format: 'json', writable: true, url: false },
  continue: { format: 'yaml', writable: true, url: false },
  'gemini-cli': { format: 'json', writable: true, url: true },
  'codex-cli': { format: 'toml', writable: true, url: true },
  goose: { format: 'yaml', writable: true, url: true },
  'lm-studio': { format: 'json', writable: true, url: false },
  opencode: { format: 'json', writable: true, url: true },
  jetbrains: {
    format: 'json',
    writable: false,
    url: false,
    pasteInto: 'Settings | Tools | AI Assistant | Model Context Protocol (MCP), Add, then “As JSON”',
  },
  kiro: { format: 'json', writable: true, url: true },
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
  format: snippetFormatSchema,
  // What to paste: the entry inside its place in the client's config file (JSON, YAML or TOML),
  // or a command line for Claude Code.
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
