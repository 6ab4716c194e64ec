import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioResult } from './bench-context.ts';
import { createHttpClient } from './http-client.ts';
import { pagePath } from './scenarios-read.ts';
import { findFreePort, readRssMb, serverCommand, startRawOpenProcess, startServerProcess, type StartedProcess } from './server-process.ts';
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
}

const median = (values: number[]) => summarize(values).p50;

/** Start to healthy, memory idle and get-by-id throughput, against the real server in its own process. */
export const runServerScenarios = async (options: ServerScenarioOptions): Promise<ScenarioResult[]> => {
  const { engine, env, token, personIds, log } = options;
  const serverStarts: number[] = [];
  const rawStarts: number[] = [];
  let server: StartedProcess | undefined;
  let rawOpen: StartedProcess | undefined;
  try {
    for (let run = 0; run < START_RUNS; run++) {
      rawOpen = await startRawOpenProcess(env);
      rawStarts.push(rawOpen.startMs);
      if (run < START_RUNS - 1) await rawOpen.stop();
    }
    await sleep(1_000);
    const rawRss = readRssMb(rawOpen!.pid);
    await rawOpen!.stop();
    rawOpen = undefined;

    let port = 0;
    for (let run = 0; run < START_RUNS; run++) {
      port = await findFreePort();
      server = await startServerProcess({ env, port });
      serverStarts.push(server.startMs);
      log(`  start ${run + 1}: ${formatMs(server.startMs)}`);
      if (run < START_RUNS - 1) {
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

      const throughput = await measureThroughput({
        concurrency: CONNECTIONS,
        durationMs: THROUGHPUT_MS,
        fn: async (index) => {
          const response = await client.request('GET', `/api/v1/records/person/${personIds[index % personIds.length]!}`);
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
      });
      const loadedRss = readRssMb(server!.pid);
      const memoryLimit = engine === 'postgres' ? 150 : 400;
      return [
        {
          name: `Get by id over HTTP (${CONNECTIONS} keep-alive connections, ${THROUGHPUT_MS / 1000} s, separate server process)`,
          target: '> 3000 req/s',
          pass: throughput.perSecond > 3000,
          api: `${Math.round(throughput.perSecond)} req/s (${throughput.done} ok, ${throughput.failed} failed)`,
          raw: `${Math.round(options.rawGetPerSecond)} req/s`,
          ratio: options.rawGetPerSecond > 0 ? `×${(options.rawGetPerSecond / throughput.perSecond).toFixed(1)} fewer` : '—',
          notes: ['the load generator (this process) shares the cores with the server and the database', `server RSS after the load: ${loadedRss.toFixed(0)} MB`],
          plans: [],
        },
        {
          name: `Start to healthy with existing data (${serverCommand().label}, median of ${START_RUNS})`,
          target: '< 2 s',
          pass: median(serverStarts) < 2000,
          api: `median ${formatMs(median(serverStarts))} (${serverStarts.map(formatMs).join(', ')})`,
          raw: `median ${formatMs(median(rawStarts))}`,
          ratio: `×${(median(serverStarts) / median(rawStarts)).toFixed(1)}`,
          notes: ['raw: `node --import tsx bench/raw-open.ts`, which opens the same database and runs `select 1`'],
          plans: [],
        },
        {
          name: 'Server memory idle (VmRSS after warm-up)',
          target: `< ${memoryLimit} MB`,
          pass: idleRss < memoryLimit,
          api: `${idleRss.toFixed(0)} MB`,
          raw: `${rawRss.toFixed(0)} MB`,
          ratio: `×${(idleRss / rawRss).toFixed(1)}`,
          notes: [engine === 'pglite' ? 'the embedded database runs inside the server process' : 'PostgreSQL runs in its own processes (not counted)', 'raw: RSS of raw-open.ts after `select 1`'],
          plans: [],
        },
      ];
    } finally {
      client.close();
    }
  } finally {
    await rawOpen?.stop();
    await server?.stop();
  }
};
