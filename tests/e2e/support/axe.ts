import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns the serious and critical violations. */
export const findSeriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  // A dialog fading in is half transparent: its colours are checked once its transitions have ended.
  await page.waitForFunction(
    () => (globalThis as unknown as { document: { getAnimations(): { playState: string; effect: { getComputedTiming(): { iterations: number } } | null }[] } }).document
      .getAnimations()
      .every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000 },
  );
  // Evaluated through the DevTools protocol, so the app's content security policy does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
    };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.slice(0, 5).map((node) => JSON.stringify(node.target)) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
};
