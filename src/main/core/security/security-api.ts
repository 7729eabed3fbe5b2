import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { DockImpl } from '../../../shared/contract';
import { PII_ACTIONS, type PolicyOutcome } from '../../../shared/security';
import { writeFileAtomic } from '../store/atomic-write';
import type { Security } from './open-security';
import { checkPatternSafety, parsePatternFile, PatternFileError } from './pii';
import { applyPolicyToFindings } from './policy/apply-policy';

export const DEFAULT_PATTERNS_FILE = 'pii_patterns.json';

// The guide's pattern file shape, offered when the user has none yet.
const STARTER = `${JSON.stringify(
  {
    patterns: {
      employee_id: { pattern: '\\bEMP-\\d{6}\\b', description: 'Employee number', score: 0.8 },
    },
  },
  null,
  2,
)}\n`;

export function createSecurityApi(security: Security, dataDir: string): DockImpl['security'] {
  const patternsPath = () => {
    const file = security.settings.config().patternsFile ?? DEFAULT_PATTERNS_FILE;
    return isAbsolute(file) ? file : join(dataDir, file);
  };
  const keysView = () => ({ count: security.fernet.count(), where: security.fernet.where });
  return {
    getConfig: async () => security.settings.config(),
    setConfig: (config) => security.settings.update(config),
    async scan({ text, threshold }) {
      const ctx = security.services.policyContext();
      const scan = security.settings.scanner().scan(text, {
        threshold: threshold ?? ctx.threshold,
        timeBudgetMs: ctx.timeBudgetMs,
      });
      const outcomes = Object.fromEntries(
        PII_ACTIONS.map((action) => [
          action,
          applyPolicyToFindings(
            text,
            scan.findings,
            scan.timedOut,
            { action, entities: {}, maskStyle: 'asterisks' },
            ctx,
          ),
        ]),
      ) as Record<(typeof PII_ACTIONS)[number], PolicyOutcome>;
      return { findings: scan.findings, timedOut: scan.timedOut, elapsedMs: scan.elapsedMs, outcomes };
    },
    async patterns() {
      const file = patternsPath();
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new PatternFileError(`cannot read ${file}: ${error.message}`, { cause: error });
      });
      if (text === undefined) return { file, text: STARTER, count: 0 };
      let count = 0;
      try {
        count = parsePatternFile(JSON.parse(text)).length;
      } catch {
        // Shown as it is so the user can fix it; saving checks it again.
      }
      return { file, text, count };
    },
    async savePatterns({ text }) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new PatternFileError(`the pattern file is not JSON: ${(error as Error).message}`);
      }
      // Refused patterns never reach the disk, and the scanner in use stays as it was.
      const count = parsePatternFile(json).length;
      const file = patternsPath();
      await writeFileAtomic(file, text.endsWith('\n') ? text : `${text}\n`);
      const config = security.settings.config();
      if (config.patternsFile === undefined)
        await security.settings.update({ ...config, patternsFile: DEFAULT_PATTERNS_FILE });
      else await security.settings.reload();
      return { file, text, count };
    },
    checkPattern: async ({ pattern, flags }) => checkPatternSafety(pattern, flags),
    fernetKeys: async () => keysView(),
    async rotateFernetKey() {
      await security.fernet.rotate();
      return keysView();
    },
  };
}
