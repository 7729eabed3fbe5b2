import type { ClientId } from '../../../../shared/snippets';
import type { ClientKind } from './client-kind';
import { claudeCode } from './claude-code';
import { claudeDesktop } from './claude-desktop';
import { cline } from './cline';
import { codexCli } from './codex-cli';
import { continueDev } from './continue';
import { cursor } from './cursor';
import { geminiCli } from './gemini-cli';
import { goose } from './goose';
import { jetbrains } from './jetbrains';
import { kiro } from './kiro';
import { lmStudio } from './lm-studio';
import { opencode } from './opencode';
import { rooCode } from './roo-code';
import { vscode } from './vscode';
import { windsurf } from './windsurf';
import { zed } from './zed';

// Every client MCP Dock writes entries for, by id.
export const CLIENT_KINDS: Record<ClientId, ClientKind> = {
  cursor,
  'claude-desktop': claudeDesktop,
  vscode,
  windsurf,
  'claude-code': claudeCode,
  zed,
  cline,
  'roo-code': rooCode,
  continue: continueDev,
  'gemini-cli': geminiCli,
  'codex-cli': codexCli,
  goose,
  'lm-studio': lmStudio,
  opencode,
  jetbrains,
  kiro,
};

export type { ClientEntry, ClientKind, EntryForm, EntryPlace } from './client-kind';
export { claudeCodeAddStdio, shellQuote } from './claude-code';
