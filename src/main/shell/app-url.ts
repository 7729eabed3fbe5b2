// The renderer is served from our own scheme rather than file://, so it has a real origin, CSP
// applies, and no page can reach the filesystem by URL.
export const APP_SCHEME = 'app';
export const APP_HOST = 'mcp-dock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

// electron-vite sets this in `npm run dev`; it is the only other origin our window may show.
export function devServerOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.ELECTRON_RENDERER_URL;
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function isAppUrl(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  const dev = devServerOrigin(env);
  return dev !== undefined && parsed.origin === dev;
}
