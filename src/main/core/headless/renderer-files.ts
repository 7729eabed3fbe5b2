import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { RendererNotBuiltError } from './headless-errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export interface RendererFile {
  body: Buffer;
  contentType: string;
  immutable: boolean;
}

// Maps a URL path to a file inside the built renderer, refusing anything that would climb out
// of it. Shared by headless mode and the desktop app's app:// protocol.
export async function readRendererFile(root: string, pathname: string): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    const info = await stat(full);
    if (!info.isFile()) return undefined;
    return {
      body: await readFile(full),
      contentType: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
      // Vite puts a content hash in every asset name under assets/.
      immutable: relative.startsWith('assets/'),
    };
  } catch {
    return undefined;
  }
}

export async function assertRendererBuilt(root: string): Promise<void> {
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new RendererNotBuiltError(root);
  }
}
