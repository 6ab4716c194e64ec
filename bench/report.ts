import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import type { ScenarioResult } from './bench-context.ts';
import type { MachineInfo } from './machine.ts';

export interface EngineReport {
  engine: 'pglite' | 'postgres';
  version: string;
  settings?: Record<string, string>;
  counts: Record<string, number>;
  results: ScenarioResult[];
  /** The web app in a browser against this engine's server (bench/scenarios-browser.ts). */
  browser?: { name: string; results: ScenarioResult[] };
}

export interface BenchReport {
  startedAt: Date;
  machine: MachineInfo;
  loadAverageAtEnd: string;
  people: number;
  command: string;
  engines: EngineReport[];
}

const ENGINE_TITLE = { postgres: 'PostgreSQL', pglite: 'PGlite (embedded)' } as const;

// One line per cell: an error's message may span lines or carry terminal colours.
const cell = (text: string | undefined) => (text ?? '—').replace(/\u001b\[[0-9;]*m/g, '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const verdict = (result: ScenarioResult) => (result.pass === undefined ? '—' : result.pass ? '✅ pass' : '❌ fail');

const renderEngine = (engine: EngineReport): string[] => {
  const lines = [
    `### ${ENGINE_TITLE[engine.engine]} — ${engine.version}`,
    '',
    ...(engine.settings ? [`Settings: ${Object.entries(engine.settings).map(([key, value]) => `${key}=${value.replace(/'/g, '')}`).join(', ')}.`, ''] : []),
    `Data: ${Object.entries(engine.counts).map(([name, count]) => `${count.toLocaleString('en-US')} ${name}`).join(', ')}.`,
    '',
    '| Scenario | Target | API over HTTP (loopback) | API in process (inject) | Raw SQL | API ÷ raw | Result |',
    '|---|---|---|---|---|---|---|',
    ...engine.results.map((r) => `| ${cell(r.name)} | ${cell(r.target)} | ${cell(r.api)} | ${cell(r.inject)} | ${cell(r.raw)} | ${cell(r.ratio)} | ${verdict(r)} |`),
    '',
  ];
  if (engine.browser && engine.browser.results.length > 0) {
    lines.push(
      `Web app in the browser (${engine.browser.name}, the server in its own process on this database):`,
      '',
      '| Scenario | Target | Measured | Result |',
      '|---|---|---|---|',
      ...engine.browser.results.map((r) => `| ${cell(r.name)} | ${cell(r.target)} | ${cell(r.api)} | ${verdict(r)} |`),
      '',
    );
  }
  const details = [...engine.results, ...(engine.browser?.results ?? [])].filter((r) => r.notes.length > 0 || r.plans.length > 0);
  if (details.length > 0) {
    lines.push('<details><summary>Plans and notes</summary>', '');
    for (const result of details) {
      lines.push(`**${result.name}**`, '');
      for (const note of result.notes) lines.push(`- ${note}`);
      for (const plan of result.plans) {
        lines.push(`- ${plan.path} — ${plan.executionMs.toFixed(2)} ms in the database`, `  \`${plan.sql.slice(0, 600)}${plan.sql.length > 600 ? '…' : ''}\``);
      }
      lines.push('');
    }
    lines.push('</details>', '');
  }
  return lines;
};

export const renderReport = (report: BenchReport): string => {
  const { machine } = report;
  return [
    `## ${report.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC — ${report.people.toLocaleString('en-US')} people`,
    '',
    `- Command: \`${report.command}\``,
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB memory, Node ${machine.node}`,
    `- Load average (1/5/15 min) at start: ${machine.loadAverage}; at end: ${report.loadAverageAtEnd} — other work on the machine skews every figure`,
    '- Ratios are API ÷ raw SQL for times (×2.0 = the API takes twice as long as the bare query); for throughput, how many times more the raw query serves.',
    '',
    ...report.engines.flatMap(renderEngine),
  ].join('\n');
};

const HEADER = `# Benchmark results

Appended by \`npm run bench\` (see [README.md](README.md)); newest at the bottom.

`;

export const appendReport = (file: string, markdown: string) => {
  if (!existsSync(file)) writeFileSync(file, HEADER);
  appendFileSync(file, `${markdown}\n`);
};
