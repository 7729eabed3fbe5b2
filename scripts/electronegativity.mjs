#!/usr/bin/env node
/**
 * Electron security gate: runs Doyensec's Electronegativity over the app and
 * turns its report into a pass/fail result (`npm run lint:electron`).
 *
 *   node scripts/electronegativity.mjs [--built DIR]... [--html DIR]... [--source DIR]...
 *                                      [--electron-version X.Y.Z]
 *
 * Defaults: --built out/main --built out/preload --html out/renderer --source src/main
 * (relative to the repo root). Passing any of --built/--html/--source replaces all
 * three defaults, so a test can point the gate at a fixture and nothing else.
 * Exit codes: 0 pass, 1 findings or unscanned code (or no build), 2 bad usage.
 *
 * WHAT IS SCANNED
 *  - Built main/preload JS (out/main, out/preload). This is exactly what ships,
 *    including code bundled in from src/shared or dependencies we inline. A
 *    missing or empty build is an error ("run npm run build first").
 *  - Renderer HTML (out/renderer/**.html), where the CSP meta tag lives. Renderer
 *    JS is deliberately not scanned: it runs sandboxed without Node, the JS checks
 *    target main-process APIs (BrowserWindow, session, protocol, shell), and a
 *    minified React bundle only yields noise.
 *  - TypeScript sources (src/main, without *.test.* / *.spec.* / *.d.ts). They give
 *    exact line numbers and keep `// eng-disable CHECK_ID` comments, which the
 *    bundler strips from the built JS.
 *  Everything is scanned in ONE Electronegativity run, because its global checks
 *  (CSP present, navigation limited, permission handler set) judge the app as a
 *  whole and would misfire on a partial view.
 *
 * WHY BUILT JS IS NORMALISED BEFORE SCANNING
 *  Electronegativity 1.10 has two blind spots on modern bundler output:
 *   1. Its scope analyser (escope) throws on syntax newer than ~ES2019, e.g.
 *      `#private` class fields, so such a file is not scanned at all.
 *   2. Its BrowserWindow/BrowserView checks only match a bare `new BrowserWindow(`;
 *      bundlers emit `new electron.BrowserWindow(`, which silently skips every
 *      webPreferences check.
 *  So each built file goes through TypeScript's transpiler (already a dev
 *  dependency) down to ES2018, with a transform that rewrites
 *  `new <ns>.BrowserWindow(` / `new <ns>.BrowserView(` to the bare name and
 *  `WebContentsView` (Electron's BrowserView successor, unknown to the tool) to
 *  `BrowserView`, so its webPreferences are checked too. Object literals,
 *  strings and event names, which is what the checks read, come through
 *  unchanged. Reported lines are mapped back to the built file through the
 *  transpiler's source map.
 *
 * WHAT FAILS THE GATE
 *  - Any finding with severity HIGH or MEDIUM and confidence FIRM or CERTAIN,
 *    unless the code at that place carries the tool's own reviewed-marker,
 *    `// eng-disable CHECK_ID` (printed as "waived", never silent). The tool
 *    honours a marker on the matched line; in built JS the bundler moves a
 *    trailing comment (kept because it says `@preserve`) to the line below, so
 *    there the gate also reads that next line.
 *  - Any file that could not be scanned (parse error, or a check crashing on it),
 *    because Electronegativity just skips such files and would report "no issues":
 *      * built JS / HTML: always fatal; it is what ships.
 *      * a TS source: tolerated only if every built file was scanned AND the
 *        source is not newer than the build. Any code of it that ships is then
 *        in the built JS we did scan. Otherwise fatal ("fix or rebuild").
 *    "Tolerable" parser errors (the parser recovered and the AST is complete) are
 *    printed as warnings.
 *
 * CHECKS THAT ARE OFF
 *  - AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list from
 *    GitHub during the scan (non-deterministic; offline it silently does nothing)
 *    and only looks at package.json, which is not scanned. Track Electron updates
 *    with `npm outdated` / `npm audit` instead.
 *
 * WHY THE PROGRAMMATIC API AND NOT `electronegativity -o report.csv`
 *  The CLI always exits 0, and when writing CSV/SARIF it throws away the list of
 *  files it failed to parse, so an unparseable file would pass silently. run()
 *  returns both the issues and those errors. Its `electronVersionOverride` option
 *  is needed because the scanned folders have no package.json, and without a
 *  version the tool assumes Electron 0.1 defaults (nodeIntegration on), which
 *  produces bogus HIGH findings.
 */

import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

const DEFAULTS = {
  built: ['out/main', 'out/preload'],
  html: ['out/renderer'],
  source: ['src/main'],
};

// No check is waived here: a reviewed finding is marked where it occurs, so the
// waiver sits next to the code it excuses and goes away with it.
const MARKER = /(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+([\w \t,]+)/;

function waivedOnNextLine(issue) {
  if (!issue.file || issue.file === 'N/A' || !(issue.location?.line > 0)) return false;
  let next;
  try {
    next = readFileSync(issue.file, 'utf8').split('\n')[issue.location.line] ?? '';
  } catch {
    return false;
  }
  const marker = MARKER.exec(next);
  return Boolean(marker && marker[1].split(/[\s,]+/).some((id) => id.toUpperCase() === issue.id));
}
// Network-dependent and irrelevant to what is scanned; see CHECKS THAT ARE OFF above.
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

// Electronegativity's own ordinal scales: severity INFORMATIONAL 0..HIGH 3,
// confidence TENTATIVE 0..CERTAIN 2.
const MIN_BLOCKING_SEVERITY = 2; // MEDIUM
const MIN_BLOCKING_CONFIDENCE = 1; // FIRM

// Constructors whose webPreferences the checks should see, mapped to the bare
// name Electronegativity recognises.
const WINDOW_CLASSES = new Map([
  ['BrowserWindow', 'BrowserWindow'],
  ['BrowserView', 'BrowserView'],
  ['WebContentsView', 'BrowserView'],
]);

function usage(message, exitCode = 2) {
  if (message) console.error(`electronegativity: ${message}`);
  console.error(
    'usage: node scripts/electronegativity.mjs [--built DIR]... [--html DIR]... [--source DIR]... [--electron-version X.Y.Z]',
  );
  process.exit(exitCode);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        built: { type: 'string', multiple: true },
        html: { type: 'string', multiple: true },
        source: { type: 'string', multiple: true },
        'electron-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    usage(error.message);
  }
  if (values.help) usage(undefined, 0);
  const explicit = Boolean(values.built || values.html || values.source);
  const dirs = (key) =>
    explicit ? (values[key] ?? []).map((d) => resolve(d)) : DEFAULTS[key].map((d) => resolve(ROOT, d));
  return {
    built: dirs('built'),
    html: dirs('html'),
    source: dirs('source'),
    electronVersion: values['electron-version'] ?? installedElectronVersion(),
  };
}

function installedElectronVersion() {
  try {
    return requireFromRoot('electron/package.json').version;
  } catch {
    // The electron package can be absent (e.g. installed without its binary and
    // pruned); the declared range is close enough for picking default settings.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const declared = pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '';
    const match = /\d+\.\d+\.\d+/.exec(declared);
    if (!match) usage('cannot determine the Electron version; pass --electron-version');
    return match[0];
  }
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...listFiles(full));
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
  return out;
}

const isDir = (dir) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

const display = (file) => relative(process.cwd(), file) || file;

// ---------------------------------------------------------------------------
// Normalising built JS (see header)

function makeNormaliser() {
  const ts = requireFromRoot('typescript');

  const unqualifyWindowClasses = (context) => (sourceFile) => {
    const { factory } = context;
    const visit = (node) => {
      if (ts.isNewExpression(node)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : ts.isIdentifier(callee)
            ? callee.text
            : undefined;
        const target = name && WINDOW_CLASSES.get(name);
        if (target && (ts.isPropertyAccessExpression(callee) || name !== target)) {
          // Keep the original text range so the source map still points at the call.
          const bare = ts.setTextRange(factory.createIdentifier(target), callee);
          node = factory.updateNewExpression(node, bare, node.typeArguments, node.arguments);
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit);
  };

  return (code, fileName) => {
    const result = ts.transpileModule(code, {
      // A .js name makes TypeScript apply JavaScript parsing rules.
      fileName: 'bundle.js',
      reportDiagnostics: true,
      compilerOptions: {
        allowJs: true,
        target: ts.ScriptTarget.ES2018,
        module: ts.ModuleKind.ESNext,
        sourceMap: true,
        removeComments: false,
      },
      transformers: { before: [unqualifyWindowClasses] },
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const first = errors[0];
      const where =
        first.file && first.start !== undefined
          ? first.file.getLineAndCharacterOfPosition(first.start)
          : null;
      const at = where ? ` (${where.line + 1}:${where.character + 1})` : '';
      throw new Error(
        `cannot transpile ${fileName}${at}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`,
      );
    }
    return { code: result.outputText, map: new SourceMap(JSON.parse(result.sourceMapText)) };
  };
}

// ---------------------------------------------------------------------------
// Staging: one folder with everything, so a single run sees the whole app

function stage(options) {
  const staging = realpathSync(mkdtempSync(join(tmpdir(), 'electronegativity-')));
  /** staged path -> { original, kind, map? } */
  const files = new Map();
  const problems = []; // files we could not even hand to Electronegativity
  const normalise = makeNormaliser();

  const place = (kind, index, dir, file, newExt) => {
    const rel = relative(dir, file);
    const target = join(staging, `${kind}-${index}`, newExt ? rel.replace(/\.[^.\\/]+$/, newExt) : rel);
    mkdirSync(dirname(target), { recursive: true });
    return target;
  };

  options.built.forEach((dir, i) => {
    for (const file of listFiles(dir).filter((f) => /\.[cm]?js$/.test(f))) {
      // Electronegativity only looks at .js/.ts/.html; .cjs/.mjs would be skipped.
      const target = place('built', i, dir, file, '.js');
      try {
        const { code, map } = normalise(readFileSync(file, 'utf8'), display(file));
        writeFileSync(target, code);
        files.set(target, { original: file, kind: 'built', map });
      } catch (error) {
        problems.push({ file, kind: 'built', message: error.message, tolerable: false });
      }
    }
  });

  options.html.forEach((dir, i) => {
    for (const file of listFiles(dir).filter((f) => /\.html?$/.test(f))) {
      const target = place('html', i, dir, file);
      copyFileSync(file, target);
      files.set(target, { original: file, kind: 'built' });
    }
  });

  options.source.forEach((dir, i) => {
    const isSource = (f) =>
      /\.[cm]?tsx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !/\.(test|spec)\.[cm]?tsx?$/.test(f);
    for (const file of listFiles(dir).filter(isSource)) {
      const target = place('source', i, dir, file, file.endsWith('x') ? '.tsx' : '.ts');
      copyFileSync(file, target);
      files.set(target, { original: file, kind: 'source' });
    }
  });

  return { staging, files, problems };
}

// ---------------------------------------------------------------------------
// Running and judging

async function scan(staging, electronVersion) {
  const run = requireFromRoot('@doyensec/electronegativity');
  return run({
    input: staging,
    customScan: [],
    excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
    electronVersionOverride: electronVersion,
    isRelative: false,
    parserPlugins: [],
  });
}

function locate(issue, files) {
  if (!issue.file || issue.file === 'N/A') return { file: null, where: '(whole app)' };
  const staged = files.get(issue.file);
  if (!staged) return { file: issue.file, where: `${display(issue.file)}:${issue.location.line}` };
  let { line, column } = issue.location;
  if (staged.map && line > 0) {
    // Source-map lines and columns are zero-based; Electronegativity's lines are one-based.
    const entry = staged.map.findEntry(line - 1, column);
    if (entry && typeof entry.originalLine === 'number') {
      line = entry.originalLine + 1;
      column = entry.originalColumn;
    }
  }
  return { file: staged.original, where: `${display(staged.original)}:${line}:${column + 1}` };
}

function judge(result, files, problems) {
  const findings = result.issues.map((issue) => {
    const severity = issue.severity.value;
    const confidence = issue.confidence.value;
    const meetsBar = severity >= MIN_BLOCKING_SEVERITY && confidence >= MIN_BLOCKING_CONFIDENCE;
    const status = !meetsBar ? 'info' : waivedOnNextLine(issue) ? 'waived' : 'BLOCK';
    return {
      status,
      id: issue.id,
      level: `${issue.severity.name}/${issue.confidence.name}`,
      severity,
      confidence,
      manualReview: Boolean(issue.manualReview),
      description: issue.description,
      url: issue.shortenedURL,
      ...locate(issue, files),
    };
  });

  const unscanned = [
    ...problems,
    ...result.errors.map((e) => {
      const staged = files.get(e.file);
      return {
        file: staged?.original ?? e.file,
        kind: staged?.kind ?? 'built',
        message: e.message,
        tolerable: e.tolerable,
      };
    }),
  ];

  // A TS source that failed is acceptable only when the shipped form of that
  // code was scanned: every built file went through, and the build is newer.
  const builtClean = !unscanned.some((u) => u.kind === 'built' && !u.tolerable);
  const builtTimes = [...files.values()]
    .filter((f) => f.kind === 'built')
    .map((f) => statSync(f.original).mtimeMs);
  const newestBuild = builtTimes.length ? Math.max(...builtTimes) : 0;
  for (const u of unscanned) {
    if (u.tolerable) u.status = 'warn';
    else if (u.kind === 'source' && builtClean && statSync(u.file).mtimeMs <= newestBuild)
      u.status = 'covered';
    else if (u.kind === 'source') {
      u.status = 'FAIL';
      u.message += builtClean
        ? ' (source is newer than the build: rebuild, or fix the syntax for the old parser)'
        : ' (and the built JS was not fully scanned either)';
    } else u.status = 'FAIL';
  }
  return { findings, unscanned };
}

function report({ findings, unscanned }, options, files) {
  const order = { BLOCK: 0, waived: 1, info: 2 };
  findings.sort(
    (a, b) =>
      order[a.status] - order[b.status] ||
      b.severity - a.severity ||
      b.confidence - a.confidence ||
      a.where.localeCompare(b.where),
  );

  const counts = { built: 0, source: 0 };
  for (const f of files.values()) counts[f.kind] += 1;
  console.log(
    `\nElectronegativity (Electron ${options.electronVersion}): ${counts.built} built file(s) (JS + HTML), ${counts.source} TS source(s)\n`,
  );

  if (findings.length === 0) console.log('  no findings');
  const idWidth = Math.max(28, ...findings.map((f) => f.id.length));
  for (const f of findings) {
    const review = f.manualReview ? ' [manual review]' : '';
    console.log(`  ${f.status.padEnd(6)}  ${f.level.padEnd(22)}  ${f.id.padEnd(idWidth)}  ${f.where}`);
    console.log(`  ${' '.repeat(6)}  ${f.description}${review} ${f.url ?? ''}`.trimEnd());
  }

  if (unscanned.length > 0) {
    console.log('\n  Files Electronegativity could not fully scan:');
    for (const u of unscanned) console.log(`  ${u.status.padEnd(7)} ${display(u.file)}: ${u.message}`);
  }

  const blocking = findings.filter((f) => f.status === 'BLOCK').length;
  const waived = findings.filter((f) => f.status === 'waived').length;
  const fatal = unscanned.filter((u) => u.status === 'FAIL').length;
  const covered = unscanned.filter((u) => u.status === 'covered').length;
  const failed = blocking > 0 || fatal > 0;
  console.log(
    `\nelectronegativity: ${failed ? 'FAIL' : 'PASS'}: ${blocking} blocking, ${waived} waived by eng-disable, ` +
      `${findings.length - blocking - waived} informational finding(s); ${fatal} unscanned file(s) failing, ` +
      `${covered} covered by the scanned build`,
  );
  return failed ? 1 : 0;
}

async function main() {
  const options = parseOptions();

  for (const dir of [...options.built, ...options.html]) {
    if (!isDir(dir)) {
      console.error(`electronegativity: ${display(dir)} does not exist; run npm run build first`);
      return 1;
    }
  }
  for (const dir of options.built) {
    if (!listFiles(dir).some((f) => /\.[cm]?js$/.test(f))) {
      console.error(`electronegativity: no JavaScript in ${display(dir)}; run npm run build first`);
      return 1;
    }
  }
  for (const dir of options.source) {
    if (!isDir(dir)) usage(`source directory ${display(dir)} does not exist`);
  }

  const { staging, files, problems } = stage(options);
  try {
    const result = await scan(staging, options.electronVersion);
    return report(judge(result, files, problems), options, files);
  } catch (error) {
    console.error(`electronegativity: the scan itself failed: ${error.stack ?? error}`);
    return 1;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// Exit explicitly: Electronegativity's HTTP client can keep the event loop alive.
process.exit(await main());
