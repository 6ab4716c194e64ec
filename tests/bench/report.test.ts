import { describe, expect, it } from 'vitest';
import { renderReport, type EngineReport } from '../../bench/report.ts';

const engine = (browser?: EngineReport['browser']): EngineReport => ({
  engine: 'pglite',
  version: 'PGlite 0.0.0',
  counts: { people: 20 },
  results: [{ name: 'First page', target: '< 20 ms', pass: true, api: 'p50 1.00 ms', notes: [], plans: [] }],
  ...(browser ? { browser } : {}),
});

const render = (report: EngineReport) =>
  renderReport({
    startedAt: new Date('2026-01-01T10:00:00Z'),
    machine: { cpus: 2, cpuModel: 'test', memoryGb: 4, node: 'v20', loadAverage: '0 0 0' },
    loadAverageAtEnd: '0 0 0',
    people: 20,
    command: 'npm run bench',
    engines: [report],
  });

describe('bench report', () => {
  it('should list the browser figures in a table of their own, beside their targets', () => {
    const markdown = render(
      engine({
        name: 'headless Chromium 1.2.3',
        results: [
          { name: 'First load of the app shell, cold', target: '< 1 s', pass: true, api: 'p50 400 ms · p95 600 ms (n=10)', notes: ['entry chunk 300 KB'], plans: [] },
          { name: 'Table view of 50 people', target: '< 100 ms', pass: false, api: 'p50 150 ms · p95 180 ms (n=20)', notes: [], plans: [] },
        ],
      }),
    );
    expect(markdown).toContain('Web app in the browser (headless Chromium 1.2.3');
    expect(markdown).toContain('| First load of the app shell, cold | < 1 s | p50 400 ms · p95 600 ms (n=10) | ✅ pass |');
    expect(markdown).toContain('| Table view of 50 people | < 100 ms | p50 150 ms · p95 180 ms (n=20) | ❌ fail |');
    // The browser's notes join the server scenarios' under "Plans and notes".
    expect(markdown).toMatch(/\*\*First load of the app shell, cold\*\*\n\n- entry chunk 300 KB/);
  });

  it('should leave the browser table out when no browser scenario ran', () => {
    expect(render(engine())).not.toContain('Web app in the browser');
  });

  it('should keep a multi-line, coloured error message in one table cell', () => {
    const markdown = render(
      engine({ name: 'Chromium', results: [{ name: 'browser scenarios', pass: false, api: 'error: Timeout exceeded.\nCall log:\n\u001b[2m  - waiting for | rows\u001b[22m', notes: [], plans: [] }] }),
    );
    expect(markdown).toContain('| browser scenarios | — | error: Timeout exceeded. Call log: - waiting for \\| rows | ❌ fail |');
  });
});
