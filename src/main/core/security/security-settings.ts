import { isAbsolute, join } from 'node:path';
import {
  securityConfigSchema,
  type SecurityConfig,
  type SecurityConfigInput,
} from '../../../shared/security';
import { OwnWrites, storeLoader } from '../store/json-file';
import { loadPatternFile, PiiScanner } from './pii';

export const SECURITY_FILE = 'security.json';

export interface SecuritySettings {
  config(): SecurityConfig;
  // Built-in detectors plus the user's patterns, rebuilt when the config changes.
  scanner(): PiiScanner;
  update(next: SecurityConfigInput): Promise<SecurityConfig>;
  reload(): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
  onChange(listener: (config: SecurityConfig) => void): () => void;
}

async function buildScanner(dataDir: string, config: SecurityConfig): Promise<PiiScanner> {
  const file = config.patternsFile;
  const customPatterns = file ? await loadPatternFile(isAbsolute(file) ? file : join(dataDir, file)) : [];
  return new PiiScanner({
    customPatterns,
    threshold: config.threshold,
    timeBudgetMs: config.scanTimeBudgetMs,
  });
}

// security.json: PII policies, threshold, time bound and the user's pattern file. A broken file or
// an unsafe pattern is an error naming it, and what was loaded before stays in force.
export async function openSecuritySettings(dataDir: string): Promise<SecuritySettings> {
  const file = join(dataDir, SECURITY_FILE);
  const own = new OwnWrites(file);
  const read = storeLoader(file, securityConfigSchema, () => securityConfigSchema.parse({}));
  let config = await read();
  let scanner = await buildScanner(dataDir, config);
  const listeners = new Set<(config: SecurityConfig) => void>();
  const adopt = async (next: SecurityConfig) => {
    const nextScanner = await buildScanner(dataDir, next);
    config = next;
    scanner = nextScanner;
    for (const listener of listeners) listener(config);
  };
  return {
    config: () => config,
    scanner: () => scanner,
    async update(input) {
      const next = securityConfigSchema.parse(input);
      // Patterns are checked before anything is written, so a refused pattern changes nothing.
      await buildScanner(dataDir, next);
      await own.save(next);
      await adopt(next);
      return config;
    },
    reload: async () => adopt(await read()),
    holdsOwnWrite: () => own.holdsOwnWrite(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
