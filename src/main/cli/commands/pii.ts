import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { isPiiEntity, PII_ENTITIES, type PiiFinding } from '../../../shared/pii';
import { DataDirError, UsageError } from '../../core/errors';
import { InputLineError } from '../cli-errors';
import { openSecuritySettings } from '../../core/security/security-settings';
import {
  DEFAULT_TIME_BUDGET_MS,
  loadPatternFile,
  PiiScanner,
  type CustomPattern,
  type ScanResult,
} from '../../core/security/pii';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock pii scan [options]            text on stdin -> {"findings": [...]} on stdout
  mcp-dock pii scan --jsonl [options]    one {"text": "..."} per line -> one {"findings": [...]} per line

Options:
  --data-dir D         scan as the app on D does: its pattern file, threshold and time budget
                       (security.json); the flags below win over them
  --patterns FILE      custom patterns (the guide's pii_patterns.json format)
  --threshold N        report findings scoring at least N, 0..1 (default 0.5)
  --entities A,B       only these types (e.g. EMAIL_ADDRESS,PHONE_NUMBER, or a custom pattern's name)
  --time-budget MS     stop a scan after MS milliseconds (default ${DEFAULT_TIME_BUDGET_MS})

Each finding is {"type", "start", "end", "score"}: UTF-16 offsets [start, end) into the text.
"timedOut": true is added when a scan ran out of time and its findings may be incomplete.
Types: ${PII_ENTITIES.join(', ')}.`;

const optionsSchema = z.object({
  'data-dir': z.string().min(1).optional(),
  jsonl: z.boolean().default(false),
  patterns: z.string().min(1).optional(),
  threshold: z.coerce.number().min(0).max(1).optional(),
  entities: z.string().optional(),
  'time-budget': z.coerce.number().int().min(1).optional(),
});

const lineSchema = z.object({ text: z.string() });

export async function pii(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'scan') throw new UsageError(`unknown pii subcommand "${sub}"\n${USAGE}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const options = parseFlags(
    rest,
    {
      'data-dir': sharedFlags['data-dir'],
      jsonl: { type: 'boolean' },
      patterns: { type: 'string' },
      threshold: { type: 'string' },
      entities: { type: 'string' },
      'time-budget': { type: 'string' },
    },
    optionsSchema,
    USAGE,
  );
  const app = options['data-dir'] === undefined ? undefined : await appScanSettings(options['data-dir']);
  const patternsFile = options.patterns ?? app?.patternsFile;
  const customPatterns = patternsFile === undefined ? [] : await loadPatternFile(patternsFile);
  const entities =
    options.entities === undefined ? undefined : parseEntities(options.entities, customPatterns);
  const threshold = options.threshold ?? app?.threshold;
  const timeBudgetMs = options['time-budget'] ?? app?.timeBudgetMs;
  const scanner = new PiiScanner({
    customPatterns,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
  });
  const scan = (text: string): string => render(scanner.scan(text, entities ? { entities } : {}));

  if (!options.jsonl) {
    io.out(scan((await readStdin(io)).toString('utf8')));
    return 0;
  }
  let number = 0;
  for await (const line of lines(io)) {
    number++;
    if (io.signal.aborted) return 130;
    if (line.trim() === '') continue;
    io.out(scan(parseLine(line, number)));
  }
  return 0;
}

// What the app on `dataDir` scans with. The directory must exist: a typo would otherwise scan
// with the defaults and look like a clean result.
async function appScanSettings(
  dataDir: string,
): Promise<{ patternsFile?: string; threshold: number; timeBudgetMs: number }> {
  const dir = resolve(dataDir);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new DataDirError(dir, info ? 'it is not a directory' : 'it does not exist');
  const config = (await openSecuritySettings(dir)).config();
  return {
    ...(config.patternsFile !== undefined
      ? {
          patternsFile: isAbsolute(config.patternsFile)
            ? config.patternsFile
            : join(dir, config.patternsFile),
        }
      : {}),
    threshold: config.threshold,
    timeBudgetMs: config.scanTimeBudgetMs,
  };
}

function parseEntities(list: string, custom: readonly CustomPattern[]): string[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError(`--entities needs at least one type\n${USAGE}`);
  const customTypes = new Set(custom.map((pattern) => pattern.type));
  for (const name of names) {
    if (!isPiiEntity(name) && !customTypes.has(name))
      throw new UsageError(
        `unknown entity "${name}"; the types are ${PII_ENTITIES.join(', ')} and the custom patterns' names`,
      );
  }
  return names;
}

function parseLine(line: string, number: number): string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new InputLineError(`line ${number} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) throw new InputLineError(`line ${number}: expected {"text": "..."}`);
  return parsed.data.text;
}

// Key order and the optional flag are fixed, so the output is stable for scripts and tests.
function render(result: ScanResult): string {
  const findings = result.findings.map((f: PiiFinding) => ({
    type: f.type,
    start: f.start,
    end: f.end,
    score: f.score,
  }));
  return JSON.stringify(result.timedOut ? { findings, timedOut: true } : { findings });
}

async function readStdin(io: CliIo): Promise<Buffer> {
  if (!io.stdin) throw new UsageError('pii scan reads standard input');
  return io.stdin();
}

// Lines as they arrive when the standard input is a stream (a long batch is answered line by
// line), otherwise from the whole input.
function lines(io: CliIo): AsyncIterable<string> {
  const input = io.stdio?.input ?? (io.stdin ? Readable.from(streamOnce(io.stdin)) : undefined);
  if (!input) throw new UsageError('pii scan reads standard input');
  return createInterface({ input, crlfDelay: Infinity });
}

async function* streamOnce(read: () => Promise<Buffer>): AsyncGenerator<Buffer> {
  yield await read();
}
