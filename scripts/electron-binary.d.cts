export function findElectronBinary(): { ok: true; path: string } | { ok: false; reason: string };
export function findDisplay(env?: NodeJS.ProcessEnv): { ok: true } | { ok: false; reason: string };
