import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = resolve(import.meta.dirname, '..');
const CLI = join(repoRoot, 'packages/cli/bin/rapport.js');
const SERVER_MAIN = join(repoRoot, 'packages/server/src/main.ts');

export interface StartedProcess {
  child: ChildProcess;
  pid: number;
  /** Spawn to ready, in ms. */
  startMs: number;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A bench interrupted or failing must not leave servers holding ports or the PGlite folder.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export const findFreePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

/** The command that starts the real server: the CLI when it exists, else the server's entry point. */
export const serverCommand = (): { label: string; args: string[] } =>
  existsSync(CLI)
    ? { label: 'node packages/cli/bin/rapport.js start', args: [CLI, 'start'] }
    : { label: 'node --import tsx packages/server/src/main.ts', args: ['--import', 'tsx', SERVER_MAIN] };

const getStatus = (port: number, path: string) =>
  new Promise<number>((resolveStatus) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 2_000 }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveStatus(0));
  });

const spawnTracked = (args: string[], env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await exited;
    running.delete(child);
  };
  return { child, output: () => output, stop, exited };
};

/** Spawns the real server and waits for GET /healthz to answer 200 (polling every 10 ms, at most `timeoutMs`). */
/** `nodeArgs` go before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
export const startServerProcess = async (options: { env: NodeJS.ProcessEnv; port: number; timeoutMs?: number; nodeArgs?: string[] }): Promise<StartedProcess> => {
  const started = performance.now();
  // The rate limiter stays in the request path, with limits no run of the bench reaches from its one key.
  const limits = { RAPPORT_RATE_LIMIT: '1000000000', RAPPORT_RATE_LIMIT_IP: '1000000000' };
  const spawned = spawnTracked([...(options.nodeArgs ?? []), ...serverCommand().args], { ...options.env, ...limits, PORT: String(options.port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  const deadline = started + (options.timeoutMs ?? 60_000);
  while (performance.now() < deadline) {
    if (spawned.child.exitCode !== null) break;
    if ((await getStatus(options.port, '/healthz')) === 200) {
      return { child: spawned.child, pid: spawned.child.pid!, startMs: performance.now() - started, output: spawned.output, stop: spawned.stop };
    }
    await sleep(10);
  }
  await spawned.stop();
  throw new Error(`The server did not become healthy in time (exit ${spawned.child.exitCode}):\n${spawned.output()}`);
};

/** Spawns `bench/raw-open.ts` (open the database, `select 1`, then idle) and waits for its "ready" line. */
export const startRawOpenProcess = async (env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<StartedProcess> => {
  const started = performance.now();
  const spawned = spawnTracked(['--import', 'tsx', join(repoRoot, 'bench/raw-open.ts')], env);
  const deadline = started + timeoutMs;
  while (performance.now() < deadline && spawned.child.exitCode === null) {
    if (spawned.output().includes('ready')) {
      return { child: spawned.child, pid: spawned.child.pid!, startMs: performance.now() - started, output: spawned.output, stop: spawned.stop };
    }
    await sleep(5);
  }
  await spawned.stop();
  throw new Error(`raw-open did not get ready:\n${spawned.output()}`);
};

const readStatusKb = (pid: number, key: string): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
    return Number(line?.replace(/\D+/g, '') ?? 0);
  } catch {
    return 0;
  }
};

const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid (after the parenthesised command name).
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);

/** VmRSS in MB of a process and its descendants (the server runs in one process; this also holds if it forks). */
export const readRssMb = (pid: number): number => {
  let kb = readStatusKb(pid, 'VmRSS');
  for (const child of childrenOf(pid)) kb += readRssMb(child) * 1024;
  return kb / 1024;
};

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU time in ms of a process and its descendants (/proc/<pid>/stat fields 14 and 15). */
export const readCpuMs = (pid: number): number => {
  let ms = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
  for (const child of childrenOf(pid)) ms += readCpuMs(child);
  return ms;
};
