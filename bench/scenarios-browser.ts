// The web app in headless Debian Chromium (playwright-core, never a downloaded browser) against the real
// seeded server in its own process: first load of the app shell, a 50-row table render, scrolling.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { ratioOf, type ScenarioResult } from './bench-context.ts';
import type { SalesScope } from './scenarios-sales.ts';
import { createHttpClient } from './http-client.ts';
import { findFreePort, repoRoot, startServerProcess, type StartedProcess } from './server-process.ts';
import { formatMs, summarize, type Summary } from './stats.ts';

export const BROWSER_SCENARIOS = ['first-load', 'table-render', 'table-scroll', 'kanban-pipeline'] as const;
export type BrowserScenarioName = (typeof BROWSER_SCENARIOS)[number];

const FIRST_LOAD_RUNS = 10;
const TABLE_RUNS = 20;
const TABLE_ROWS = 50;
const SCROLL_MS = 10_000;
/** Rows the scroll moves per animation frame (41 px each): about 600 rows a second at 60 frames a second. */
const SCROLL_ROWS_PER_FRAME = 10;
const LONG_FRAME_MS = 50;
/** Set by the app (packages/web/src/features/shell/navigation.tsx) when the navigation first shows the objects. */
const SHELL_READY_MARK = 'rapport:shell-ready';
const ROWS_COMMITTED_MARK = 'bench:rows-committed';
const ROWS_PAINTED_MARK = 'bench:rows-painted';
const TABLE_PATH = '/objects/person';
/** Tall enough for 50 rows of 41 px in the table's scroller (its height follows the window's). */
const TABLE_VIEWPORT = { width: 1280, height: 2400 };
const WAIT_MS = 60_000;
/** Rest after the shell is ready before the next step: the first screen's own requests and chunks finish. */
const SETTLE_MS = 1_000;

/** Debian's Chromium (`apt-get install chromium`), as the e2e tests use it; `RAPPORT_CHROMIUM` points elsewhere. */
export const CHROMIUM_PATH = process.env.RAPPORT_CHROMIUM ?? '/usr/bin/chromium';
// Headless and quiet: no GPU, and none of the background connections a closed network refuses.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface BrowserScenarioOptions {
  /** DATABASE_URL or RAPPORT_DATA_DIR of the seeded database. */
  env: NodeJS.ProcessEnv;
  /** An API key of the seeded workspace: creates the person who signs in. */
  token: string;
  log(message: string): void;
  only: readonly BrowserScenarioName[];
  /** The pipeline and rep of the board (kanban-pipeline), read in process with its raw SQL. */
  sales?: SalesScope;
}

// The code passed to page.evaluate runs in the browser; the bench is compiled without DOM types, so these
// describe the little of the page it reads.
interface PageEntry {
  name: string;
  startTime: number;
  responseStart: number;
  responseEnd: number;
  domContentLoadedEventEnd: number;
  loadEventEnd: number;
  transferSize: number;
  decodedBodySize: number;
}
interface PageElement {
  textContent: string | null;
}
interface PageGlobals {
  performance: { getEntriesByType(type: string): PageEntry[]; getEntriesByName(name: string): PageEntry[] };
  document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
}

const WEB_DIST = join(repoRoot, 'packages/web/dist');

// Only React's development build carries this warning: a web build made under NODE_ENV=test or
// development (a build started by a test run) is several times slower and must not be measured.
const DEVELOPMENT_REACT = 'Each child in a list should have a unique';

/** The JS files of packages/web/dist/assets, and whether any of them is React's development build. */
const readWebBuild = () => {
  const assets = join(WEB_DIST, 'assets');
  const scripts = existsSync(assets) ? readdirSync(assets).filter((file) => file.endsWith('.js')) : [];
  return { scripts, isProduction: scripts.length > 0 && !scripts.some((file) => readFileSync(join(assets, file), 'utf8').includes(DEVELOPMENT_REACT)) };
};

/**
 * The server serves packages/web/dist: build it (in production mode) when a source of the app is newer
 * or when the build there is a development one.
 */
const ensureWebBuild = async (log: (message: string) => void) => {
  const { isWebBuildFresh } = (await import(join(repoRoot, 'packages/web/scripts/build.mjs'))) as { isWebBuildFresh(): boolean };
  const isFresh = isWebBuildFresh();
  if (isFresh && readWebBuild().isProduction) return;
  log(`  web app: ${isFresh ? 'packages/web/dist holds a development build' : 'a source is newer than packages/web/dist'}; building it for production`);
  const result = spawnSync(process.execPath, [join(repoRoot, 'packages/web/scripts/build.mjs'), '--force'], { stdio: 'inherit', env: { ...process.env, CI: 'true', NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error('the web app did not build (node packages/web/scripts/build.mjs --force)');
  if (!readWebBuild().isProduction) throw new Error('packages/web/dist is not a production build after building it');
};

/** Waits for `condition`; on a timeout, keeps a screenshot in bench/.data and says what the page showed. */
const waitOrExplain = async (page: Page, what: string, condition: Promise<unknown>) => {
  try {
    await condition;
  } catch (error) {
    const file = join(repoRoot, 'bench/.data', `browser-failure-${what.replace(/\W+/g, '-')}.png`);
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file }).catch(() => undefined);
    const text = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('main')[0]?.textContent ?? '').catch(() => '');
    throw new Error(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} at ${page.url()}; the page showed "${text.slice(0, 200)}" (screenshot: ${file.slice(repoRoot.length + 1)})`);
  }
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const timing = (summary: Summary) => `p50 ${formatMs(summary.p50)} · p95 ${formatMs(summary.p95)} (n=${summary.n})`;

// The page's own view of the load, read with page.evaluate (the bench code has no DOM types).
interface LoadFigures {
  shellReadyMs: number;
  responseStartMs: number;
  domContentLoadedMs: number;
  loadEventMs: number;
  scripts: { name: string; transferSize: number; decodedBodySize: number }[];
  styles: { transferSize: number }[];
  /** API requests answered before the shell-ready mark, and when the last of them ended. */
  apiBeforeShell: number;
  lastApiBeforeShellMs: number;
}

const readLoadFigures = (page: Page): Promise<LoadFigures> =>
  page.evaluate((mark) => {
    const perf = (globalThis as unknown as PageGlobals).performance;
    const navigation = perf.getEntriesByType('navigation')[0]!;
    const resources = perf.getEntriesByType('resource');
    const assets = resources.filter((entry) => new URL(entry.name).pathname.startsWith('/assets/'));
    const shellReadyMs = perf.getEntriesByName(mark)[0]?.startTime ?? Number.NaN;
    const api = resources.filter((entry) => new URL(entry.name).pathname.startsWith('/api/') && entry.responseEnd <= shellReadyMs);
    return {
      shellReadyMs,
      apiBeforeShell: api.length,
      lastApiBeforeShellMs: Math.max(0, ...api.map((entry) => entry.responseEnd)),
      responseStartMs: navigation.responseStart,
      domContentLoadedMs: navigation.domContentLoadedEventEnd,
      loadEventMs: navigation.loadEventEnd,
      scripts: assets.filter((entry) => entry.name.endsWith('.js')).map((entry) => ({ name: new URL(entry.name).pathname, transferSize: entry.transferSize, decodedBodySize: entry.decodedBodySize })),
      styles: assets.filter((entry) => entry.name.endsWith('.css')).map((entry) => ({ transferSize: entry.transferSize })),
    };
  }, SHELL_READY_MARK);

/** Opens `path` in a new tab of `context` and waits for the app's shell-ready mark. */
const loadShell = async (context: BrowserContext, url: string): Promise<{ page: Page; figures: LoadFigures }> => {
  const page = await context.newPage();
  const cdp = process.env.RAPPORT_BENCH_BROWSER_PROFILE ? await startProfiling(page) : undefined;
  await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
  await waitOrExplain(page, 'shell-ready', page.waitForFunction((mark) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(mark).length > 0, SHELL_READY_MARK, { timeout: WAIT_MS }));
  if (cdp) {
    await saveProfile(cdp, process.env.RAPPORT_BENCH_BROWSER_PROFILE!, 'first-load');
    await saveWaterfall(page, process.env.RAPPORT_BENCH_BROWSER_PROFILE!);
  }
  return { page, figures: await readLoadFigures(page) };
};

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Cold and warm first loads of `/`, and which JS chunks the first route and the table route load. */
const runFirstLoad = async (browser: Browser, baseUrl: string, storageState: Awaited<ReturnType<BrowserContext['storageState']>>, log: (message: string) => void): Promise<ScenarioResult[]> => {
  const totalChunks = readWebBuild().scripts.length;
  // Cold: a new context each run (empty HTTP cache, no service worker), signed in by its cookie alone.
  const cold: LoadFigures[] = [];
  let routeSplit = { firstRoute: new Set<string>(), tableRoute: new Set<string>() };
  let firstRouteScripts: LoadFigures['scripts'] = [];
  for (let run = 0; run < FIRST_LOAD_RUNS; run++) {
    const context = await browser.newContext({ storageState: { cookies: storageState.cookies, origins: [] } });
    try {
      const { page, figures } = await loadShell(context, `${baseUrl}/`);
      if (!Number.isFinite(figures.shellReadyMs)) throw new Error(`the app never set the "${SHELL_READY_MARK}" mark`);
      cold.push(figures);
      if (run === 0) {
        // What the first route loads before its shell is ready, and (1 s later) with its screen's own chunks, and the
        // table route's code the app loads when idle after the mark (app/route-modules.ts).
        const atMark = new Set(figures.scripts.map((script) => script.name));
        await page.waitForTimeout(SETTLE_MS);
        const settled = await readLoadFigures(page);
        firstRouteScripts = settled.scripts;
        // The split by route: the chunks the table needs that the shell did not load before its mark.
        await page.locator(`nav a[href="${TABLE_PATH}"]`).first().click();
        await waitOrExplain(page, 'table-after-navigation', page.locator('tbody tr[data-index]').first().waitFor({ timeout: WAIT_MS }));
        const after = await readLoadFigures(page);
        routeSplit = { firstRoute: atMark, tableRoute: new Set(after.scripts.map((script) => script.name).filter((name) => !atMark.has(name))) };
      }
    } finally {
      await context.close();
    }
  }
  log(`  cold: ${cold.map((figures) => formatMs(figures.shellReadyMs)).join(', ')}`);

  // Warm: one context, visited before (HTTP cache and the service worker's shell cache filled).
  const warm: LoadFigures[] = [];
  let controlled = false;
  const context = await browser.newContext({ storageState: { cookies: storageState.cookies, origins: [] } });
  try {
    // Two visits before measuring: the first installs the service worker, the second goes through it and fills its cache.
    for (let visit = 0; visit < 2; visit++) {
      const { page } = await loadShell(context, `${baseUrl}/`);
      await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.serviceWorker.ready.then(() => undefined));
      await page.close();
    }
    for (let run = 0; run < FIRST_LOAD_RUNS; run++) {
      const { page, figures } = await loadShell(context, `${baseUrl}/`);
      controlled = await page.evaluate(() => Boolean((globalThis as unknown as PageGlobals).navigator.serviceWorker.controller));
      warm.push(figures);
      await page.close();
    }
  } finally {
    await context.close();
  }
  log(`  warm: ${warm.map((figures) => formatMs(figures.shellReadyMs)).join(', ')}`);

  const coldShell = summarize(cold.map((figures) => figures.shellReadyMs));
  const warmShell = summarize(warm.map((figures) => figures.shellReadyMs));
  const breakdown = (runs: LoadFigures[]) =>
    `medians of the page's own timings: first byte ${formatMs(summarize(runs.map((r) => r.responseStartMs)).p50)}, DOMContentLoaded ${formatMs(summarize(runs.map((r) => r.domContentLoadedMs)).p50)}, load event ${formatMs(summarize(runs.map((r) => r.loadEventMs)).p50)}, last of ${summarize(runs.map((r) => r.apiBeforeShell)).p50} API answers before the mark ${formatMs(summarize(runs.map((r) => r.lastApiBeforeShellMs)).p50)}, shell ready ${formatMs(summarize(runs.map((r) => r.shellReadyMs)).p50)}`;
  const jsTransferred = sum(firstRouteScripts.map((script) => script.transferSize));
  const jsDecoded = sum(firstRouteScripts.map((script) => script.decodedBodySize));
  const entry = firstRouteScripts.find((script) => /\/index-[^/]+\.js$/.test(script.name));
  const warmJsTransferred = summarize(warm.map((figures) => sum(figures.scripts.map((script) => script.transferSize)))).p50;
  const isSplit = routeSplit.firstRoute.size < totalChunks && routeSplit.tableRoute.size > 0;
  return [
    {
      name: `First load of the app shell, cold (new browser context, empty cache; \`/\` signed in, navigation start → "${SHELL_READY_MARK}"), ${FIRST_LOAD_RUNS} runs`,
      target: '< 1 s',
      pass: coldShell.p95 < 1000,
      api: timing(coldShell),
      notes: [
        breakdown(cold),
        `JS transferred on the first route (cold, 1 s after the mark, the idle prefetch of the table route included): ${kb(jsTransferred)} over the network (${kb(jsDecoded)} decoded) in ${firstRouteScripts.length} files; CSS ${kb(sum(cold[0]!.styles.map((style) => style.transferSize)))}`,
        ...(entry ? [`entry chunk ${entry.name.replace('/assets/', '')}: ${kb(entry.transferSize)} transferred, ${kb(entry.decodedBodySize)} decoded`] : []),
      ],
      plans: [],
    },
    {
      name: `First load of the app shell, warm (second visit: HTTP cache and service worker), ${FIRST_LOAD_RUNS} runs`,
      target: '< 1 s',
      pass: warmShell.p95 < 1000,
      api: timing(warmShell),
      notes: [breakdown(warm), `JS transferred per warm load: ${kb(warmJsTransferred)} (median); page controlled by the service worker: ${controlled ? 'yes' : 'no'}`],
      plans: [],
    },
    {
      name: 'Main bundle split by route (JS chunks loaded)',
      target: 'the shell loads a part of the chunks before it is ready; a route adds its own (prefetched when idle)',
      pass: isSplit,
      api: `first route \`/\` before its shell is ready: ${routeSplit.firstRoute.size} of ${totalChunks} chunks; \`${TABLE_PATH}\` adds ${routeSplit.tableRoute.size}`,
      notes: [`chunks the table route added: ${[...routeSplit.tableRoute].map((name) => name.replace('/assets/', '')).join(', ') || 'none'}`],
      plans: [],
    },
  ];
};

// Installed in every page of the table context before the app's scripts: marks when 50 rows are in the
// table (the commit that put them there) and the frame after (a task queued from requestAnimationFrame
// runs once that frame is painted).
const ROW_MARKS_SCRIPT = `(() => {
  let isDone = false;
  const observer = new MutationObserver(() => {
    if (isDone || document.querySelectorAll('tbody tr[data-index]').length < ${TABLE_ROWS}) return;
    isDone = true;
    observer.disconnect();
    performance.mark('${ROWS_COMMITTED_MARK}');
    requestAnimationFrame(() => setTimeout(() => performance.mark('${ROWS_PAINTED_MARK}'), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

interface RenderFigures {
  responseEndMs: number;
  committedMs: number;
  paintedMs: number;
  rowsInTable: number;
  responseBytes: number;
  queries: number;
}

const readRenderFigures = (page: Page): Promise<RenderFigures> =>
  page.evaluate(
    ({ committed, painted }) => {
      const perf = (globalThis as unknown as PageGlobals).performance;
      const doc = (globalThis as unknown as PageGlobals).document;
      const committedMs = perf.getEntriesByName(committed)[0]?.startTime ?? Number.NaN;
      const queries = perf.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith('/records/person/query'));
      // The list answer the rows came from: the last one to arrive before they were committed.
      const first = queries.filter((entry) => entry.responseEnd <= committedMs).at(-1);
      return {
        responseEndMs: first?.responseEnd ?? Number.NaN,
        committedMs,
        paintedMs: perf.getEntriesByName(painted)[0]?.startTime ?? Number.NaN,
        rowsInTable: doc.querySelectorAll('tbody tr[data-index]').length,
        responseBytes: first?.decodedBodySize ?? 0,
        queries: queries.length,
      };
    },
    { committed: ROWS_COMMITTED_MARK, painted: ROWS_PAINTED_MARK },
  );

// RAPPORT_BENCH_BROWSER_PROFILE=DIR: CPU profiles of the page (Chrome DevTools opens them), from the navigation to
// the shell-ready mark for each first load, and from the click to the painted rows for each table render.
const startProfiling = async (page: Page): Promise<CDPSession> => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
};

const saveProfile = async (cdp: CDPSession, dir: string, scenario: string) => {
  const { profile } = await cdp.send('Profiler.stop');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${scenario}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
};

/** Beside a first load's profile: each request of the page (start, first byte, end, in ms from navigation start). */
const saveWaterfall = async (page: Page, dir: string) => {
  const requests = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).performance
      .getEntriesByType('resource')
      .map((entry) => ({ url: new URL(entry.name).pathname + new URL(entry.name).search, start: Math.round(entry.startTime), firstByte: Math.round(entry.responseStart), end: Math.round(entry.responseEnd) })),
  );
  writeFileSync(join(dir, `first-load-${Date.now()}.requests.json`), JSON.stringify(requests, null, 1));
};

/**
 * Opens the people table in a new tab: straight from its URL, or (`fromNavigation`) from the start screen
 * once the shell is ready and settled, by its link in the navigation, as a person does. The second
 * times rendering alone: the page is not busy starting when the list answer arrives.
 */
const openTable = async (context: BrowserContext, baseUrl: string, fromNavigation = false): Promise<{ page: Page; figures: RenderFigures }> => {
  const page = await context.newPage();
  let cdp: CDPSession | undefined;
  if (fromNavigation) {
    await page.goto(`${baseUrl}/`, { waitUntil: 'load', timeout: WAIT_MS });
    await waitOrExplain(page, 'shell-ready', page.waitForFunction((mark) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(mark).length > 0, SHELL_READY_MARK, { timeout: WAIT_MS }));
    await page.waitForTimeout(SETTLE_MS);
    cdp = process.env.RAPPORT_BENCH_BROWSER_PROFILE ? await startProfiling(page) : undefined;
    await page.locator(`nav a[href="${TABLE_PATH}"]`).first().click();
  } else {
    await page.goto(`${baseUrl}${TABLE_PATH}`, { waitUntil: 'load', timeout: WAIT_MS });
  }
  await waitOrExplain(page, 'table-rows', page.waitForFunction((mark) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(mark).length > 0, ROWS_PAINTED_MARK, { timeout: WAIT_MS }));
  if (cdp) await saveProfile(cdp, process.env.RAPPORT_BENCH_BROWSER_PROFILE!, 'table');
  return { page, figures: await readRenderFigures(page) };
};

interface ScrollFigures {
  frames: number;
  longFrames: number;
  longestMs: number;
  p95Ms: number;
  lastRow: number;
  loadedRows: number;
  longAnimationFrames: number;
}

// Scrolls the table's scroller by a fixed distance every animation frame for a while and times the gaps
// between frames (a plain script: functions compiled by the bench's loader would carry its helpers along).
const SCROLL_SCRIPT = `new Promise((resolve) => {
  const scroller = document.querySelector('tbody').closest('[role="region"]');
  const gaps = [];
  let longAnimationFrames = 0;
  let observer;
  try {
    observer = new PerformanceObserver((list) => {
      longAnimationFrames += list.getEntries().filter((entry) => entry.duration > ${LONG_FRAME_MS}).length;
    });
    observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    observer = undefined;
  }
  let started;
  let previous;
  const frame = (time) => {
    started ??= time;
    if (previous !== undefined) gaps.push(time - previous);
    previous = time;
    if (time - started < ${SCROLL_MS}) {
      scroller.scrollTop += ${SCROLL_ROWS_PER_FRAME * 41};
      requestAnimationFrame(frame);
      return;
    }
    observer?.disconnect();
    const rows = [...document.querySelectorAll('tbody tr[data-index]')].map((row) => Number(row.dataset.index));
    const sorted = [...gaps].sort((a, b) => a - b);
    resolve({
      frames: gaps.length,
      longFrames: gaps.filter((gap) => gap > ${LONG_FRAME_MS}).length,
      longestMs: sorted.at(-1) ?? 0,
      p95Ms: sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? 0,
      lastRow: Math.max(0, ...rows),
      loadedRows: Number(document.querySelector('table')?.getAttribute('aria-rowcount') ?? 1) - 1,
      longAnimationFrames,
    });
  };
  requestAnimationFrame(frame);
})`;

const scrollTable = (page: Page) => page.evaluate(SCROLL_SCRIPT) as Promise<ScrollFigures>;

/** Opens the people table 20 times (warm cache) and times the 50 rows from the list answer to the painted frame. */
const runTable = async (browser: Browser, baseUrl: string, storageState: Awaited<ReturnType<BrowserContext['storageState']>>, selected: ReadonlySet<BrowserScenarioName>, log: (message: string) => void): Promise<ScenarioResult[]> => {
  const context = await browser.newContext({ storageState: { cookies: storageState.cookies, origins: [] }, viewport: TABLE_VIEWPORT });
  await context.addInitScript({ content: ROW_MARKS_SCRIPT });
  const results: ScenarioResult[] = [];
  try {
    // A first visit fills the caches: the runs measure rendering, not the download of the route's chunks.
    const { page: warmUp } = await openTable(context, baseUrl);
    await warmUp.close();
    if (selected.has('table-render')) {
      const runs: RenderFigures[] = [];
      for (let run = 0; run < TABLE_RUNS; run++) {
        const { page, figures } = await openTable(context, baseUrl, true);
        await page.close();
        if (!Number.isFinite(figures.responseEndMs)) throw new Error(`no ${TABLE_PATH} list request was seen (resource timing)`);
        runs.push(figures);
      }
      const render = summarize(runs.map((figures) => figures.paintedMs - figures.responseEndMs));
      const commit = summarize(runs.map((figures) => figures.committedMs - figures.responseEndMs));
      log(`  table render: ${runs.map((figures) => formatMs(figures.paintedMs - figures.responseEndMs)).join(', ')}`);
      results.push({
        name: `Table view of ${TABLE_ROWS} people: list answer received → ${TABLE_ROWS} rows painted (opened from the navigation, warm cache), ${TABLE_RUNS} runs`,
        target: '< 100 ms',
        pass: render.p95 < 100,
        api: timing(render),
        notes: [
          `from the list request's responseEnd (PerformanceResourceTiming) to the frame after a MutationObserver saw ${TABLE_ROWS} rows (requestAnimationFrame, then a task); to the commit alone: ${timing(commit)}`,
          `the page asks for ${Math.round(summarize(runs.map((figures) => figures.responseBytes)).p50 / 1024)} KB (one page of the app's list, count included); the window (${TABLE_VIEWPORT.width}×${TABLE_VIEWPORT.height}) shows ${TABLE_ROWS}, the virtualiser renders ${summarize(runs.map((figures) => figures.rowsInTable)).p50} rows with its overscan`,
          `each run: a new tab on \`/\`, the shell ready and ${SETTLE_MS / 1000} s of rest, then a click on People in the navigation (the route's chunks come from the cache)`,
        ],
        plans: [],
      });
    }
    if (selected.has('table-scroll')) {
      const { page } = await openTable(context, baseUrl);
      const scroll = await scrollTable(page);
      await page.close();
      log(`  table scroll: ${scroll.frames} frames, ${scroll.longFrames} over ${LONG_FRAME_MS} ms, row ${scroll.lastRow} reached`);
      results.push({
        name: `Scroll the people table for ${SCROLL_MS / 1000} s (${SCROLL_ROWS_PER_FRAME} rows a frame, next pages loaded on the way)`,
        target: `no frame over ${LONG_FRAME_MS} ms`,
        pass: scroll.longFrames === 0,
        api: `${scroll.longFrames} of ${scroll.frames} frames over ${LONG_FRAME_MS} ms · frame p95 ${formatMs(scroll.p95Ms)} · longest ${formatMs(scroll.longestMs)}`,
        notes: [
          `reached row ${scroll.lastRow.toLocaleString('en-US')} (${scroll.loadedRows.toLocaleString('en-US')} loaded); frames are requestAnimationFrame gaps; long animation frames over ${LONG_FRAME_MS} ms reported by Chromium: ${scroll.longAnimationFrames}`,
          'headless Chromium without a GPU rasterises on the CPU, on the cores the server and database share',
        ],
        plans: [],
      });
    }
  } finally {
    await context.close();
  }
  return results;
};

const KANBAN_RUNS = 10;
const CARDS_PAINTED_MARK = 'bench:cards-painted';
const KANBAN_VIEWPORT = { width: 1600, height: 1000 };

// Installed before the app's scripts in each page of the board's context: the board shown (table or board is
// remembered per object in localStorage, packages/web/src/features/object-record/views/view-mode.ts), grouped by
// stage, and a mark on the frame after the first commit that put cards (\`[data-record-id]\`) on the board.
const KANBAN_SCRIPT = `(() => {
  try {
    localStorage.setItem('rapport.view.opportunity', 'kanban');
    localStorage.setItem('rapport.view.opportunity.groupBy', 'stage');
  } catch {}
  let isDone = false;
  const observer = new MutationObserver(() => {
    if (isDone || document.querySelectorAll('[data-record-id]').length === 0) return;
    isDone = true;
    observer.disconnect();
    performance.mark('bench:cards-committed');
    requestAnimationFrame(() => setTimeout(() => performance.mark('${CARDS_PAINTED_MARK}'), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

// Installed before the app's scripts in each page of the from-the-navigation runs: the opportunity page's remembered
// mode and board forgotten (the saved view sets them, as for someone who last used the table), and from the pointer
// going down on the view's link in the navigation, a mark, then the same cards marks as above.
const KANBAN_NAVIGATION_SCRIPT = `(() => {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('rapport.view.opportunity')) localStorage.removeItem(key);
  } catch {}
  addEventListener('pointerdown', (event) => {
    const link = event.target instanceof Element ? event.target.closest('nav a[href*="view="]') : null;
    if (!link || performance.getEntriesByName('bench:board-click').length > 0) return;
    performance.mark('bench:board-click');
    let isDone = false;
    const observer = new MutationObserver(() => {
      if (isDone || document.querySelectorAll('[data-column] [data-record-id]').length === 0) return;
      isDone = true;
      observer.disconnect();
      performance.mark('bench:cards-committed');
      requestAnimationFrame(() => setTimeout(() => performance.mark('${CARDS_PAINTED_MARK}'), 0));
    });
    observer.observe(document, { childList: true, subtree: true });
  }, { capture: true });
})();`;

/** Counts the page's API requests in flight (the live events stream aside) from now on; `idle()` waits for half a second without any. */
const trackApiRequests = (page: Page) => {
  const pending = new Set<unknown>();
  page.on('request', (request) => {
    const url = request.url();
    if (url.includes('/api/') && !url.includes('/events/stream')) pending.add(request);
  });
  page.on('requestfinished', (request) => pending.delete(request));
  page.on('requestfailed', (request) => pending.delete(request));
  return {
    idle: async () => {
      const started = Date.now();
      let quietSince = Date.now();
      while (Date.now() - started < WAIT_MS) {
        if (pending.size > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= 500) return;
        await page.waitForTimeout(50);
      }
    },
  };
};

interface KanbanFigures {
  /** The pointer down on the view's link (from the navigation), else 0: navigation start. */
  clickMs: number;
  paintedMs: number;
  committedMs: number;
  listResponseEndMs: number;
  listRequestStartMs: number;
  cards: number;
  columns: number;
  /** The API requests answered before the cards were committed: path, start and end (ms from navigation start). */
  api: { path: string; start: number; end: number }[];
}

/**
 * The pipeline board filtered to one rep, in two ways, each in its own warm context (a first visit fills the caches):
 * opened from the saved view's link in the navigation of a running app (pointer down → the frame after its first
 * cards: the target), and opened from its URL in a new tab (navigation start → the same frame: the app's start included).
 */
const runKanban = async (browser: Browser, baseUrl: string, storageState: Awaited<ReturnType<BrowserContext['storageState']>>, sales: SalesScope, log: (message: string) => void): Promise<ScenarioResult[]> => {
  if (!sales.boardViewId) throw new Error('kanban-pipeline: no saved view of the board was created');
  const url = `${baseUrl}/objects/opportunity?pipeline=${sales.pipelineId}&filter=${encodeURIComponent(JSON.stringify([{ field: 'owner', op: 'eq', value: sales.ownerId }]))}`;
  const viewLink = `nav a[href="/objects/opportunity?view=${sales.boardViewId}"]`;
  const sentBodies: string[] = [];
  // The other queries the board sends before its cards (column totals, badges): path and body, first run only.
  const otherQueries = new Map<string, string>();
  const open = async (context: BrowserContext, from: 'navigation' | 'tab'): Promise<KanbanFigures> => {
    const page = await context.newPage();
    page.on('request', (request) => {
      if (request.method() !== 'POST') return;
      const path = new URL(request.url()).pathname;
      if (path.endsWith('/records/opportunity/query')) sentBodies.push(request.postData() ?? '');
      else if (/\/records\/[^/]+\/(aggregate|query)$/.test(path)) {
        const key = `${path.replace('/api/v1', '')} ${request.postData() ?? ''}`;
        if (!otherQueries.has(key)) otherQueries.set(key, key);
      }
    });
    try {
      let cdp: CDPSession | undefined;
      if (from === 'navigation') {
        const requests = trackApiRequests(page);
        await page.goto(`${baseUrl}/`, { waitUntil: 'load', timeout: WAIT_MS });
        await waitOrExplain(page, 'shell-ready', page.waitForFunction((mark) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(mark).length > 0, SHELL_READY_MARK, { timeout: WAIT_MS }));
        // The start screen's own requests (its sales figures over a million deals) answered first: the board is
        // measured on a server that is not still busy with the screen before.
        await requests.idle();
        await page.waitForTimeout(SETTLE_MS);
        sentBodies.length = 0;
        cdp = process.env.RAPPORT_BENCH_BROWSER_PROFILE ? await startProfiling(page) : undefined;
        await page.locator(viewLink).first().click();
      } else {
        await page.goto(url, { waitUntil: 'commit', timeout: WAIT_MS });
      }
      await waitOrExplain(page, 'kanban-cards', page.waitForFunction((mark) => (globalThis as unknown as PageGlobals).performance.getEntriesByName(mark).length > 0, CARDS_PAINTED_MARK, { timeout: WAIT_MS }));
      if (cdp) await saveProfile(cdp, process.env.RAPPORT_BENCH_BROWSER_PROFILE!, 'kanban');
      return await page.evaluate((mark) => {
        const perf = (globalThis as unknown as PageGlobals).performance;
        const doc = (globalThis as unknown as PageGlobals).document;
        const clickMs = perf.getEntriesByName('bench:board-click')[0]?.startTime ?? 0;
        const committedMs = perf.getEntriesByName('bench:cards-committed')[0]?.startTime ?? Number.NaN;
        const lists = perf.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith('/records/opportunity/query') && entry.startTime >= clickMs && entry.responseEnd <= committedMs);
        const list = lists.at(-1);
        return {
          clickMs,
          paintedMs: perf.getEntriesByName(mark)[0]?.startTime ?? Number.NaN,
          committedMs,
          listResponseEndMs: list?.responseEnd ?? Number.NaN,
          listRequestStartMs: list?.startTime ?? Number.NaN,
          cards: doc.querySelectorAll('[data-record-id]').length,
          columns: doc.querySelectorAll('[data-column]').length,
          api: perf
            .getEntriesByType('resource')
            .filter((entry) => new URL(entry.name).pathname.startsWith('/api/') && entry.startTime >= clickMs && entry.responseEnd <= committedMs)
            .map((entry) => ({ path: new URL(entry.name).pathname.replace('/api/v1', ''), start: Math.round(entry.startTime - clickMs), end: Math.round(entry.responseEnd - clickMs) })),
        };
      }, CARDS_PAINTED_MARK);
    } finally {
      await page.close();
    }
  };
  const measure = async (from: 'navigation' | 'tab'): Promise<KanbanFigures[]> => {
    const context = await browser.newContext({ storageState: { cookies: storageState.cookies, origins: [] }, viewport: KANBAN_VIEWPORT });
    await context.addInitScript({ content: from === 'navigation' ? KANBAN_NAVIGATION_SCRIPT : KANBAN_SCRIPT });
    const runs: KanbanFigures[] = [];
    try {
      // A first visit fills the caches (the route's chunks, the service worker): the runs are a person's next visits.
      await open(context, from);
      sentBodies.length = 0;
      for (let run = 0; run < KANBAN_RUNS; run++) runs.push(await open(context, from));
    } finally {
      await context.close();
    }
    return runs;
  };
  const fromNavigation = await measure('navigation');
  const navigationBodies = [...sentBodies];
  const fromTab = await measure('tab');
  // The board's list request as the app sent it, against the one measured in process beside its raw SQL.
  const listBody = [...navigationBodies, ...sentBodies].map((body) => JSON.parse(body) as Record<string, unknown>).find((body) => JSON.stringify(body.filter ?? null).includes(sales.ownerId));
  const sameQuery = listBody !== undefined && JSON.stringify(listBody.filter) === JSON.stringify(sales.boardBody.filter) && JSON.stringify(listBody.include ?? []) === JSON.stringify(sales.boardBody.include ?? []) && listBody.limit === sales.boardBody.limit && Boolean(listBody.count) === Boolean(sales.boardBody.count) && !listBody.sort;
  const elapsed = (runs: KanbanFigures[], of: (figures: KanbanFigures) => number) => summarize(runs.map((figures) => of(figures) - figures.clickMs));
  const describeRuns = (runs: KanbanFigures[], origin: string) => {
    const painted = elapsed(runs, (figures) => figures.paintedMs);
    const median = [...runs].sort((a, b) => a.paintedMs - a.clickMs - (b.paintedMs - b.clickMs))[Math.floor((runs.length - 1) / 2)];
    return {
      painted,
      notes: [
        `medians from ${origin}: list request sent ${formatMs(elapsed(runs, (r) => r.listRequestStartMs).p50)}, list answer received ${formatMs(elapsed(runs, (r) => r.listResponseEndMs).p50)}, cards committed ${formatMs(elapsed(runs, (r) => r.committedMs).p50)}, painted ${formatMs(painted.p50)} (a MutationObserver sees the first \`[data-record-id]\` card in a column; the mark is the task after the next animation frame); ${summarize(runs.map((r) => r.cards)).p50} cards in ${summarize(runs.map((r) => r.columns)).p50} columns`,
        ...(median ? [`the median run's API requests before the cards (start–end, ms from ${origin}): ${median.api.map((request) => `${request.path} ${request.start}–${request.end}`).join(', ') || 'none'}; painted at ${Math.round(median.paintedMs - median.clickMs)}`] : []),
      ],
    };
  };
  const navigation = describeRuns(fromNavigation, 'the pointer down on the link');
  const tab = describeRuns(fromTab, 'navigation start');
  log(`  kanban-pipeline from the navigation: ${fromNavigation.map((figures) => formatMs(figures.paintedMs - figures.clickMs)).join(', ')}`);
  log(`  kanban-pipeline in a new tab: ${fromTab.map((figures) => formatMs(figures.paintedMs)).join(', ')}`);
  const raw = (p50: number) => (sales.boardRawP50 !== undefined ? ` · ${ratioOf(p50, sales.boardRawP50)} the raw SQL of its list query (p50 ${formatMs(sales.boardRawP50)})` : '');
  const deals = sales.boardDeals.toLocaleString('en-US');
  return [
    {
      name: `Pipeline board of one rep (${deals} deals in it), opened from its saved view in the navigation: pointer down → first cards painted, warm cache, ${KANBAN_RUNS} runs`,
      target: 'p50 < 300 ms',
      pass: navigation.painted.p50 < 300,
      api: `${timing(navigation.painted)}${raw(navigation.painted.p50)}`,
      notes: [
        ...navigation.notes,
        listBody
          ? `the board's list request ${sameQuery ? 'is the one measured in process (same filter, includes, page size and count)' : `differs from the one measured in process: ${JSON.stringify(listBody).slice(0, 400)}`}`
          : 'no list request filtered to the rep was seen',
        `the other record queries the board sent (path and body): ${[...otherQueries.keys()].map((key) => key.slice(0, 400)).join(' · ') || 'none'}`,
        `each run: a new tab on \`/\` (the opportunity page's remembered mode and board forgotten), the shell ready, its API requests answered and ${SETTLE_MS / 1000} s of rest, then a click on the shared kanban view (owner = the rep, pipeline = the default one) under Opportunities in the navigation; ${KANBAN_VIEWPORT.width}×${KANBAN_VIEWPORT.height} window`,
      ],
      plans: [],
    },
    {
      name: `Pipeline board of one rep (\`/objects/opportunity?pipeline=…&filter=[owner eq …]\`), opened from its URL in a new tab: navigation start → first cards painted (the app's start included), warm cache, ${KANBAN_RUNS} runs`,
      target: 'none (the app shell alone: first load < 1 s)',
      api: `${timing(tab.painted)}${raw(tab.painted.p50)}`,
      notes: [...tab.notes, `each run: a new tab of one context (HTTP cache and service worker warm after a first visit), the view mode and grouping (board by stage) set in localStorage before the app starts`],
      plans: [],
    },
  ];
};

const skipped = (only: readonly BrowserScenarioName[], reason: string): ScenarioResult[] =>
  only.map((name) => ({ name: `${name} (browser)`, api: `skipped: ${reason}`, notes: [], plans: [] }));

export interface BrowserResults {
  /** e.g. `headless Chromium 156.0.8078.114`, or why none ran. */
  browser: string;
  results: ScenarioResult[];
}

/** The browser scenarios against a spawned server on the seeded database. */
export const runBrowserScenarios = async (options: BrowserScenarioOptions): Promise<BrowserResults> => {
  const { env, token, log, only } = options;
  if (only.length === 0) return { browser: 'none', results: [] };
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set RAPPORT_CHROMIUM)`;
    // CI must measure the browser: a missing Chromium fails there instead of passing quietly.
    if (process.env.CI === 'true') return { browser: 'Chromium not found', results: only.map((name) => ({ name: `${name} (browser)`, pass: false, api: `error: ${reason}`, notes: [], plans: [] })) };
    log(`  browser scenarios skipped: ${reason}`);
    return { browser: 'Chromium not found', results: skipped(only, reason) };
  }
  await ensureWebBuild(log);
  const measuredBuild = readWebBuild();
  const selected = new Set(only);
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let server: StartedProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServerProcess({ env: { ...env, RAPPORT_PUBLIC_URL: baseUrl }, port });
    // Someone to sign in as: an administrator of the seeded workspace with a password.
    const client = createHttpClient({ baseUrl, token });
    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = `Pw-${randomUUID()}`;
    try {
      const { data: roles } = await client.json<{ data: { id: string; isAdmin: boolean }[] }>('GET', '/api/v1/roles');
      const admin = roles.data.find((role) => role.isAdmin);
      if (!admin) throw new Error('the seeded workspace has no administrator role');
      await client.json('POST', '/api/v1/users', { email, name: 'Bench Browser', password, roleId: admin.id });
      // The board as a person keeps it: a shared kanban view under Opportunities in the navigation.
      if (selected.has('kanban-pipeline') && options.sales) {
        const { data: view } = await client.json<{ id: string }>('POST', '/api/v1/views', {
          object: 'opportunity',
          name: `Board of ${options.sales.ownerName}`,
          type: 'kanban',
          visibility: 'shared',
          kanbanField: 'stage',
          filter: options.sales.boardBody.filter,
        });
        options.sales.boardViewId = view.id;
      }
    } finally {
      client.close();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    log(`  Chromium ${browser.version()}, server on ${baseUrl}`);
    const signIn = await browser.newContext();
    const answer = await signIn.request.post(`${baseUrl}/api/v1/auth/sign-in`, { data: { email, password } });
    if (answer.status() !== 200) throw new Error(`sign-in: ${answer.status()} ${(await answer.text()).slice(0, 300)}`);
    const storageState = await signIn.storageState();
    await signIn.close();

    const results: ScenarioResult[] = [];
    if (selected.has('first-load')) {
      log('  first-load');
      results.push(...(await runFirstLoad(browser, baseUrl, storageState, log)));
    }
    if (selected.has('table-render') || selected.has('table-scroll')) {
      log(`  ${['table-render', 'table-scroll'].filter((name) => selected.has(name as BrowserScenarioName)).join(', ')}`);
      results.push(...(await runTable(browser, baseUrl, storageState, selected, log)));
    }
    if (selected.has('kanban-pipeline')) {
      log('  kanban-pipeline');
      if (!options.sales) throw new Error('kanban-pipeline: no pipeline and rep were read from the seeded database (see the sales scope row)');
      results.push(...(await runKanban(browser, baseUrl, storageState, options.sales, log)));
    }
    // The build folder is shared: a test run rebuilding it meanwhile would mix builds in these figures.
    const buildAfter = readWebBuild();
    const isSameBuild = buildAfter.isProduction && buildAfter.scripts.join() === measuredBuild.scripts.join();
    if (!isSameBuild) log('  warning: packages/web/dist changed during the browser scenarios (another process rebuilt it)');
    const buildNote = [`packages/web/dist changed during the measurement (rebuilt by another process${buildAfter.isProduction ? '' : ', now a development build'}): these figures may mix builds`];
    const flagged = results.map((result) => (isSameBuild ? result : { ...result, api: `⚠ build changed during the run: ${result.api ?? ''}`, notes: [...result.notes, ...buildNote] }));
    return { browser: `headless Chromium ${browser.version()}`, results: flagged };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
};
