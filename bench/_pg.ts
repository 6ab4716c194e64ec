import { findPostgresBinDir, startBenchCluster } from './postgres.ts';
import { spawnSync } from 'node:child_process';
const cluster = await startBenchCluster(findPostgresBinDir()!);
const url = await cluster.createDatabase('rapport_try');
console.log(url, cluster.version);
const r = spawnSync('node', ['--import', 'tsx', 'bench/_try.ts', process.argv[2] ?? '100000', url], { stdio: 'inherit' });
cluster.stop();
