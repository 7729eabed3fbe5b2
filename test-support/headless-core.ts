import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../src/main/core/create-core';
import { fakeEngine } from './fake-engine';

export const PANEL_TOKEN = 'panel-token-0123456789';

// A stand-in for the built UI: tests of the HTTP side must not need `npm run build` first.
export async function fakeRendererDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-ui-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>MCP Dock</title>');
  await writeFile(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  return dir;
}

// Headless core on a free loopback port with the panel token fixed and a stand-in engine, as the
// OAuth and bridge tests need it; `extra` adds or overrides options.
export async function startHeadlessCore(extra: Partial<CoreOptions> = {}): Promise<Core> {
  return createCore({
    mode: 'headless',
    dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
    http: { port: 0 },
    ui: { rendererDir: await fakeRendererDir(), token: PANEL_TOKEN },
    dockerHost: 'unix:///fake.sock',
    engine: { connect: fakeEngine().connect },
    ...extra,
  });
}

// What the panel's page does with the printed token: trades it for a session secret.
export async function openPanelSession(origin: string, token = PANEL_TOKEN): Promise<string> {
  const reply = await fetch(`${origin}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (reply.status !== 201) throw new Error(`POST /session answered ${reply.status}`);
  return ((await reply.json()) as { session: string }).session;
}

// Core on a free loopback port with a stand-in engine and no UI: for tests of what needs no Docker
// (remote servers, the Catalog, OAuth). `dataDir` keeps one across restarts.
export async function startBareCore(dataDir?: string, extra: Partial<CoreOptions> = {}): Promise<Core> {
  return createCore({
    mode: 'headless',
    dataDir: dataDir ?? (await mkdtemp(join(tmpdir(), 'mcp-dock-data-'))),
    http: { port: 0 },
    dockerHost: 'unix:///fake.sock',
    engine: { connect: fakeEngine().connect },
    ...extra,
  });
}
