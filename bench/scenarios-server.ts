import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioResult } from './bench-context.ts';
import { createHttpClient } from './http-client.ts';
import { pagePath } from './scenarios-read.ts';
import { findFreePort, readCpuMs, readRssMb, serverCommand, startRawOpenProcess, startServerProcess, type StartedProcess } from './server-process.ts';
import { formatMs, measureThroughput, summarize } from './stats.ts';

const START_RUNS = 3;
const CONNECTIONS = 32;
const THROUGHPUT_MS = 10_000;

export interface ServerScenarioOptions {
  engine: 'pglite' | 'postgres';
  /** DATABASE_URL or RAPPORT_DATA_DIR for the spawned processes. */
  env: NodeJS.ProcessEnv;
  token: string;
  personIds: string[];
  /** Raw `select by id` per second measured in process before (32 concurrent, pool of the database). */
  rawGetPerSecond: number;
  log(message: string): void;
  /** The scenarios to run (default: all three). */
  only?: readonly ('get-by-id' | 'start' | 'memory')[];
  /** PostgreSQL's postmaster, whose processes' CPU time is reported beside the server's. */
  databasePid?: number;
  /** The server writes V8 CPU profiles here (`--cpu-prof-dir`). */
  cpuProfDir?: string;
}

const median = (values: number[]) => summarize(values).p50;

/** Start to healthy, memory idle and get-by-id throughput, against the real server in its own process. */
export const runServerScenarios = async (options: ServerScenarioOptions): Promise<ScenarioResult[]> => {
  const { engine, env, token, personIds, log } = options;
  const selected = new Set(options.only ?? ['get-by-id', 'start', 'memory']);
  const startRuns = selected.has('start') ? START_RUNS : 1;
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const serverStarts: number[] = [];
  const rawStarts: number[] = [];
  let server: StartedProcess | undefined;
  let rawOpen: StartedProcess | undefined;
  try {
    let rawRss = 0;
    if (selected.has('start') || selected.has('memory')) {
      for (let run = 0; run < startRuns; run++) {
        rawOpen = await startRawOpenProcess(env);
        rawStarts.push(rawOpen.startMs);
        if (run < startRuns - 1) await rawOpen.stop();
      }
      await sleep(1_000);
      rawRss = readRssMb(rawOpen!.pid);
      await rawOpen!.stop();
      rawOpen = undefined;
    }

    let port = 0;
    for (let run = 0; run < startRuns; run++) {
      port = await findFreePort();
      server = await startServerProcess({ env, port, nodeArgs });
      serverStarts.push(server.startMs);
      log(`  start ${run + 1}: ${formatMs(server.startMs)}`);
      if (run < startRuns - 1) {
        await server.stop();
        server = undefined;
      }
    }

    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, token, connections: CONNECTIONS });
    try {
      // Warm-up: the paths a user session takes, so idle memory includes caches and compiled code.
      for (let index = 0; index < 30; index++) {
        await client.json('GET', pagePath(['FR', 'DE', 'US'][index % 3]!));
        await client.json('GET', `/api/v1/search?q=${encodeURIComponent(['anna', 'mül', 'smith'][index % 3]!)}`);
        await client.json('GET', `/api/v1/records/person/${personIds[index % personIds.length]!}`);
      }
      await sleep(3_000);
      const idleRss = readRssMb(server!.pid);

      const results: ScenarioResult[] = [];
      if (selected.has('get-by-id')) {
        const cpuBefore = { server: readCpuMs(server!.pid), database: options.databasePid ? readCpuMs(options.databasePid) : 0, client: process.cpuUsage() };
        const throughput = await measureThroughput({
          concurrency: CONNECTIONS,
          durationMs: THROUGHPUT_MS,
          fn: async (index) => {
            const response = await client.request('GET', `/api/v1/records/person/${personIds[index % personIds.length]!}`);
            if (response.status !== 200) throw new Error(`status ${response.status}`);
          },
        });
        const loadedRss = readRssMb(server!.pid);
        // Where the two cores went: CPU ms per request of each party (100 Hz clock ticks for the processes).
        const perRequest = (ms: number) => `${((ms / throughput.done) * 1000).toFixed(0)} µs`;
        const clientCpu = process.cpuUsage(cpuBefore.client);
        const cpuNote = [
          `server ${perRequest(readCpuMs(server!.pid) - cpuBefore.server)}`,
          ...(options.databasePid ? [`PostgreSQL ${perRequest(readCpuMs(options.databasePid) - cpuBefore.database)}`] : []),
          `load generator ${perRequest((clientCpu.user + clientCpu.system) / 1000)}`,
        ].join(', ');
        results.push({
          name: `Get by id over HTTP (${CONNECTIONS} keep-alive connections, ${THROUGHPUT_MS / 1000} s, separate server process)`,
          target: '> 3000 req/s',
          pass: throughput.perSecond > 3000,
          api: `${Math.round(throughput.perSecond)} req/s (${throughput.done} ok, ${throughput.failed} failed)`,
          raw: `${Math.round(options.rawGetPerSecond)} req/s`,
          ratio: options.rawGetPerSecond > 0 ? `×${(options.rawGetPerSecond / throughput.perSecond).toFixed(1)} fewer` : '—',
          notes: ['the load generator (this process) shares the cores with the server and the database', `server RSS after the load: ${loadedRss.toFixed(0)} MB`, `CPU per request: ${cpuNote}`],
          plans: [],
        });
      }
      const memoryLimit = engine === 'postgres' ? 150 : 400;
      if (selected.has('start')) {
        results.push({
          name: `Start to healthy with existing data (${serverCommand().label}, median of ${START_RUNS})`,
          target: '< 2 s',
          pass: median(serverStarts) < 2000,
          api: `median ${formatMs(median(serverStarts))} (${serverStarts.map(formatMs).join(', ')})`,
          raw: `median ${formatMs(median(rawStarts))}`,
          ratio: `×${(median(serverStarts) / median(rawStarts)).toFixed(1)}`,
          notes: ['raw: `node --import tsx bench/raw-open.ts`, which opens the same database and runs `select 1`'],
          plans: [],
        });
      }
      if (selected.has('memory')) {
        results.push({
          name: 'Server memory idle (VmRSS after warm-up)',
          target: `< ${memoryLimit} MB`,
          pass: idleRss < memoryLimit,
          api: `${idleRss.toFixed(0)} MB`,
          raw: `${rawRss.toFixed(0)} MB`,
          ratio: `×${(idleRss / rawRss).toFixed(1)}`,
          notes: [engine === 'pglite' ? 'the embedded database runs inside the server process' : 'PostgreSQL runs in its own processes (not counted)', 'raw: RSS of raw-open.ts after `select 1`'],
          plans: [],
        });
      }
      return results;
    } finally {
      client.close();
    }
  } finally {
    await rawOpen?.stop();
    await server?.stop();
  }
};
