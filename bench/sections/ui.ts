import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { build } from 'rolldown';
import { createCore } from '../../src/main/core/create-core';
import { AuditLog } from '../../src/main/core/security/audit';
import type { AuditEventInput } from '../../src/shared/audit';
import { optionalDockerHost } from '../lib/docker';
import { num, spread, table } from '../lib/format';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test-support/chromium';
import { BUILD_DIR, CLI, RENDERER_DIR } from '../lib/paths';
import { firstLine, sleep, spawnTracked } from '../lib/processes';
import { row, type MetricRow } from '../lib/result';
import { onCleanup, runSection } from '../lib/section';
import { percentile, repeat, summarize, type Summary } from '../lib/stats';

// 6. UI: the renderer's initial JS (gzip), time to first render of the Containers pane in
// Chromium, and frame times while the Audit pane, holding 100,000 rows, receives 1,000 events/s.
// References: a minimal React app (React + ReactDOM rendering one heading) for size and first
// render, and a blank page for frame time.

// Records, in the page, when the pane's content is in the DOM and the frame after it.
const FIRST_RENDER_PROBE = `(() => {
  const mark = { content: 0, painted: 0 };
  window.__benchFirstRender = mark;
  const ready = () => {
    const list = document.querySelector('.server-list');
    if (list && list.children.length > 0) return true;
    const h = document.querySelector('h1');
    return Boolean(h && h.textContent === 'Containers' && document.querySelector('[data-bench-reference]'));
  };
  const observer = new MutationObserver(() => {
    if (mark.content || !ready()) return;
    mark.content = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { mark.painted = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

// rAF deltas for `ms`, optionally scrolling the audit table a little every frame.
function frameTimes(page: Page, ms: number, scroll: boolean): Promise<number[]> {
  return page.evaluate(
    ({ ms, scroll }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector('.audit-body');
        const deltas: number[] = [];
        let direction = 1;
        let last = 0;
        let end = 0;
        const frame = (t: number) => {
          deltas.push(t - last);
          last = t;
          if (scroll && el) {
            el.scrollTop += direction * 53;
            if (el.scrollTop + el.clientHeight >= el.scrollHeight - 5) direction = -1;
            else if (el.scrollTop <= 0) direction = 1;
          }
          if (t < end) requestAnimationFrame(frame);
          else resolve(deltas);
        };
        requestAnimationFrame((t) => {
          last = t;
          end = t + ms;
          requestAnimationFrame(frame);
        });
      }),
    { ms, scroll },
  );
}

async function startServe(
  dataDir: string,
): Promise<{ url: string; httpOrigin: string; stop: () => Promise<void> }> {
  const serve = spawnTracked(
    'mcp-dock serve',
    process.execPath,
    [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--json'],
    {
      env: { ...process.env, ...(optionalDockerHost() ? { DOCKER_HOST: optionalDockerHost() } : {}) },
    },
  );
  const { url, httpOrigin } = JSON.parse(await firstLine(serve)) as { url: string; httpOrigin: string };
  return { url, httpOrigin, stop: serve.stop };
}

// A minimal React app, built the way the renderer is (minified, production React), served from
// loopback like headless mode.
async function referenceApp(): Promise<{ dir: string; jsGzip: number }> {
  const dir = join(BUILD_DIR, 'ui-reference');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'entry.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\n" +
      "createRoot(document.getElementById('root')).render(createElement('h1', { 'data-bench-reference': '' }, 'Containers'));\n",
  );
  await build({
    input: join(dir, 'entry.js'),
    platform: 'browser',
    logLevel: 'silent',
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    output: { file: join(dir, 'app.js'), format: 'esm', minify: true },
  });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  return { dir, jsGzip: gzipSync(await readFile(join(dir, 'app.js'))).length };
}

function serveStatic(dir: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const file = req.url === '/app.js' ? 'app.js' : 'index.html';
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(dir, file)));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}/`, close: () => server.close() });
    }),
  );
}

async function firstRender(browser: Browser, url: string): Promise<{ content: number; painted: number }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(FIRST_RENDER_PROBE);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (window as unknown as { __benchFirstRender?: { painted: number } }).__benchFirstRender?.painted,
      undefined,
      { timeout: 30_000 },
    );
    return await page.evaluate(
      () =>
        (window as unknown as { __benchFirstRender: { content: number; painted: number } })
          .__benchFirstRender,
    );
  } finally {
    await context.close();
  }
}

runSection('ui', '6. UI', async (ctx) => {
  const runs = ctx.quick ? 2 : 5;
  // 1. Initial JS: the scripts index.html loads and preloads.
  const html = readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8');
  const initial = [
    ...[...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  let jsRaw = 0;
  let jsGzip = 0;
  for (const src of initial) {
    const buf = readFileSync(join(RENDERER_DIR, src.replace(/^\//, '')));
    jsRaw += buf.length;
    jsGzip += gzipSync(buf).length;
  }
  const reference = await referenceApp();
  ctx.log(
    `initial JS: ${initial.length} file(s), ${num(jsGzip / 1024)} KB gzip (${num(jsRaw / 1024)} KB raw)`,
  );

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());

  // 2. First render of the Containers pane (a fresh browser context, so a cold cache, each run).
  const served = await startServe(await mkdtemp(join(tmpdir(), 'mcp-dock-bench-ui-')));
  const ours = await repeat(
    { warmup: 1, runs },
    async () => (await firstRender(browser, served.url)).painted,
  );
  await served.stop();
  const staticServer = await serveStatic(reference.dir);
  const refRender = await repeat(
    { warmup: 1, runs },
    async () => (await firstRender(browser, staticServer.url)).painted,
  );
  staticServer.close();
  ctx.log(
    `first render: ours ${spread(ours.summary, 'ms')}, minimal React app ${spread(refRender.summary, 'ms')}`,
  );

  // 3. The Audit pane with 100,000 rows, receiving 1,000 events/s.
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-bench-ui-audit-'));
  const preload = 100_000;
  const event = (i: number): AuditEventInput => ({
    event_type: 'tool_call',
    tool_name: i % 3 ? 'echo' : 'read_file',
    user_id: 'user-1',
    client_id: 'bench-client',
    contains_pii: i % 10 === 0,
    action_taken: i % 10 === 0 ? 'masked' : 'allowed',
    parameter_count: 1,
    ...(i % 10 === 0 ? { pii_types: { EMAIL_ADDRESS: 1 } } : {}),
    server: 'everything',
    outcome: 'ok',
    duration_ms: 4,
  });
  const log = await AuditLog.open(join(dataDir, 'audit'));
  for (let i = 0; i < preload; i += 1000)
    await Promise.all(Array.from({ length: 1000 }, (_, j) => log.append(event(i + j))));
  await log.close();
  // Headless mode, in this process: what `mcp-dock serve` runs, so live events can be appended
  // through the app's own audit log (the log has one writer).
  const core = await createCore({
    mode: 'headless',
    dataDir,
    dockerHost: optionalDockerHost(),
    http: { port: 0 },
    ui: { rendererDir: RENDERER_DIR },
  });
  onCleanup(() => core.close());
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${core.uiUrl!}#audit`);
  const shown = page.locator('.audit-live .small');
  const countShown = async () => Number(((await shown.textContent()) ?? '').replace(/[^\d]/g, '') || 0);
  await page.waitForFunction(
    () => /10,000 events/.test(document.querySelector('.audit-live')?.textContent ?? ''),
    undefined,
    { timeout: 60_000 },
  );
  // "Load older events" until all 100,000 are in the pane (10,000 per page).
  const loadT0 = performance.now();
  for (let pageNo = 1; (await countShown()) < preload && pageNo < 20; pageNo++) {
    const before = await countShown();
    await page.getByRole('button', { name: 'Load older events' }).click();
    await page.waitForFunction(
      (n) =>
        Number((document.querySelector('.audit-live .small')?.textContent ?? '').replace(/[^\d]/g, '')) > n,
      before,
      { timeout: 60_000 },
    );
  }
  const loaded = await countShown();
  ctx.log(
    `audit pane holds ${loaded} rows (${((performance.now() - loadT0) / 1000).toFixed(1)} s of Load older)`,
  );

  // 1,000 events/s through core's audit log: from there they take the path a tool call's event
  // takes (the log's listeners, core's 100 ms batches, the WebSocket bridge, the pane's store).
  const rate = 1000;
  let appended = preload;
  let feeding: NodeJS.Timeout | undefined;
  const feed = (on: boolean) => {
    if (feeding) clearInterval(feeding);
    feeding = undefined;
    if (!on) return;
    const t0 = performance.now();
    const base = appended;
    feeding = setInterval(() => {
      const due = base + Math.floor(((performance.now() - t0) / 1000) * rate);
      while (appended < due) void core.security.audit.append(event(appended++));
    }, 10);
  };
  onCleanup(() => feed(false));
  const rounds = ctx.quick ? 2 : 3;
  const roundMs = ctx.quick ? 1500 : 3000;
  const measure = async (scroll: boolean) => {
    const p95: number[] = [];
    const p50: number[] = [];
    const max: number[] = [];
    const rates: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const rows0 = await countShown();
      const t0 = performance.now();
      const deltas = await frameTimes(page, roundMs, scroll);
      rates.push((((await countShown()) - rows0) / (performance.now() - t0)) * 1000);
      p95.push(percentile(deltas, 0.95));
      p50.push(percentile(deltas, 0.5));
      max.push(Math.max(...deltas));
    }
    return { p95: summarize(p95), p50: summarize(p50), max: summarize(max), rate: summarize(rates) };
  };
  const scrollingQuiet = await measure(true);
  feed(true);
  await sleep(1000);
  // BENCH_UI_PROFILE=1 keeps a CPU profile of the page while live events arrive (ui-live.cpuprofile
  // beside the bundle), for whoever works on the pane.
  let cdp: CDPSession | undefined;
  if (process.env.BENCH_UI_PROFILE) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const watching = await measure(false);
  const scrolling = await measure(true);
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    await writeFile(join(BUILD_DIR, 'ui-live.cpuprofile'), JSON.stringify(profile));
  }
  feed(false);
  await sleep(300);
  const finalRows = await countShown();
  const blank = await context.newPage();
  await blank.goto('about:blank');
  const blankFrames: number[] = [];
  const idle = await repeat({ warmup: 0, runs: rounds }, async () => {
    const deltas = await frameTimes(blank, roundMs, false);
    blankFrames.push(...deltas);
    return percentile(deltas, 0.95);
  });
  ctx.log(
    `frames p95: scrolling, no events ${spread(scrollingQuiet.p95, 'ms')}; at top, live ${spread(watching.p95, 'ms')}; scrolling, live ${spread(scrolling.p95, 'ms')} (${spread(scrolling.rate, 'rows/s')}); blank page ${spread(idle.summary, 'ms')}`,
  );
  await context.close();

  const worse = scrolling.p95.median >= watching.p95.median ? scrolling : watching;
  ctx.raw = {
    initial,
    jsRaw,
    jsGzip,
    referenceJsGzip: reference.jsGzip,
    firstRenderMs: ours.summary,
    referenceFirstRenderMs: refRender.summary,
    auditRows: loaded,
    finalRows,
    watching,
    scrolling,
    blankP95: idle.summary,
    scrollingQuiet,
    appended: appended - preload,
  };
  const one = (v: number): Summary => ({ median: v, p25: v, p75: v, min: v, max: v, n: 1 });
  const metrics: MetricRow[] = [
    row({
      id: 'ui.bundle',
      metric: 'UI: renderer initial JS, gzip',
      unit: 'KB',
      better: 'lower',
      ours: one(jsGzip / 1024),
      peer: {
        name: 'minimal React app (React + ReactDOM, one heading)',
        value: one(reference.jsGzip / 1024),
      },
      target: '≤ 400 KB',
      pass: jsGzip / 1024 <= 400,
    }),
    row({
      id: 'ui.first-render',
      metric: 'UI: first render of the Containers pane in Chromium (navigation start → pane content painted)',
      unit: 'ms',
      better: 'lower',
      ours: ours.summary,
      peer: { name: 'minimal React app from a plain HTTP server', value: refRender.summary },
      target: '≤ 1,000 ms',
      pass: ours.summary.median <= 1000,
    }),
    row({
      id: 'ui.frame-p95',
      metric: `UI: p95 frame time, Audit pane with ${loaded.toLocaleString('en-US')} rows receiving live events (${num(worse.rate.median)}/s achieved)${worse === scrolling ? ', while scrolling' : ''}`,
      unit: 'ms',
      better: 'lower',
      ours: worse.p95,
      peer: { name: 'blank page, same browser', value: idle.summary },
      target: '≤ 20 ms',
      pass: worse.p95.median <= 20,
      missedNote:
        `Live batches are what cost, not scrolling: scrolling the same 100,000 rows with no live events gives p95 ${spread(scrollingQuiet.p95, 'ms')}, the table at the top with live events ${spread(watching.p95, 'ms')}. ` +
        'Every live batch (core sends one every 100 ms) changes the row count and moves every row down; the window is index arithmetic over fixed 30 px rows (src/renderer/src/features/audit/lib/use-row-window.ts), shifted for the new rows in the same render, so a batch should cost the rows in view only. ' +
        'Where to look: a CPU profile of the page while live events arrive (`BENCH_UI_PROFILE=1` writes ui-live.cpuprofile beside the bundle); on this shared 2-core machine a busy neighbour also shows up here (see the machine-load table).',
    }),
  ];
  ctx.details.push(
    `Initial JS: ${initial.map((s) => `\`${s}\``).join(', ')} (${num(jsRaw / 1024)} KB raw, ${num(jsGzip / 1024)} KB gzip at zlib's default level); the reference is React + ReactDOM alone, bundled and minified by rolldown (${num(reference.jsGzip / 1024)} KB gzip).`,
  );
  ctx.details.push(
    `First render: \`mcp-dock serve\` (built app, headless mode) on loopback, headless Chromium with a fresh context (cold cache) per run; time from navigation start until the Containers pane's server list is in the DOM and the next frame has run (a MutationObserver and requestAnimationFrame in the page). ` +
      `The reference serves the minimal React app from a plain Node HTTP server and waits for its heading the same way. One warm-up, then ${runs} runs.`,
  );
  ctx.details.push(
    `Audit pane: ${preload.toLocaleString('en-US')} events appended to the data directory's log first; then core runs in headless mode in the benchmark's process (\`createCore\` with the built renderer, as \`mcp-dock serve\` runs it) and the pane opens on \`#audit\`: it loads 10,000 and **Load older events** was clicked until it held ${loaded.toLocaleString('en-US')}. ` +
      `Live events: ${rate}/s appended through core's own audit log (\`core.security.audit.append\`, the log's one writer), from where they travel as a tool call's event does: the log's listeners, core's 100 ms batches, the WebSocket bridge, the pane's store. ` +
      `(Through /mcp this machine cannot make 1,000 calls/s while Chromium renders: see the gateway section.) ` +
      `Frame times are requestAnimationFrame deltas in the page over ${rounds} rounds of ${roundMs / 1000} s: scrolling the table by 53 px every frame with no events, then with live events at the top (new rows arriving in view), then scrolling with live events. ` +
      `${(appended - preload).toLocaleString('en-US')} live events were appended; the pane held ${finalRows.toLocaleString('en-US')} rows at the end.`,
  );
  ctx.details.push(
    table(
      ['Condition', 'p50 frame ms', 'p95 frame ms', 'max frame ms', 'rows arriving/s'],
      [
        [
          'Audit pane scrolling, no live events',
          spread(scrollingQuiet.p50),
          spread(scrollingQuiet.p95),
          spread(scrollingQuiet.max),
          '0',
        ],
        [
          'Audit pane at the top, live events',
          spread(watching.p50),
          spread(watching.p95),
          spread(watching.max),
          spread(watching.rate),
        ],
        [
          'Audit pane scrolling, live events',
          spread(scrolling.p50),
          spread(scrolling.p95),
          spread(scrolling.max),
          spread(scrolling.rate),
        ],
        [
          'Blank page (reference)',
          spread(summarize([percentile(blankFrames, 0.5)])),
          spread(idle.summary),
          '—',
          '—',
        ],
      ],
    ),
  );
  return metrics;
});
