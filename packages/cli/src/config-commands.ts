import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ConfigurationChange, ConfigurationDeployment } from '@rapport/common';
import type { RapportConfig } from '@rapport/server/config/config';
import { CliError, runAdmin } from './run-admin.ts';

interface ConfigFlags {
  json?: boolean | undefined;
  workspace?: string | undefined;
  yes?: boolean | undefined;
}

const USAGE = 'Usage: rapport config export [FILE] | rapport config diff FILE | rapport config apply FILE [--yes]   (each takes --workspace NAME)';
const SIGNS = { add: '+', change: '~', remove: '-' } as const;

const show = (value: unknown) => JSON.stringify(value);

/** One line per change, `+` added, `~` changed (with each property before → after), `-` removed. */
export const describeChanges = (changes: ConfigurationChange[]): string => {
  if (changes.length === 0) return 'No changes: the workspace already has this configuration.';
  const lines = changes.map((change) => {
    const head = `${SIGNS[change.action]} ${change.section} ${change.key} (${change.label})`;
    const warning = change.destructive ? '  [data goes to the trash, restorable for 30 days]' : '';
    if (change.action !== 'change') return `${head}${warning}`;
    const before = (change.before ?? {}) as Record<string, unknown>;
    const after = (change.after ?? {}) as Record<string, unknown>;
    const details = (change.properties ?? []).map((property) => `\n    ${property}: ${show(before[property]) ?? '(none)'} → ${show(after[property]) ?? '(none)'}`);
    return `${head}${warning}${details.join('')}`;
  });
  const destructive = changes.filter((change) => change.destructive).length;
  return `${lines.join('\n')}\n${changes.length} change${changes.length === 1 ? '' : 's'}${destructive ? `, ${destructive} moving data to the trash` : ''}.`;
};

const confirm = async (question: string) => {
  if (!process.stdin.isTTY) throw new CliError(`${question} Add --yes to confirm.`);
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Cancelled; nothing was changed.');
  } finally {
    readline.close();
  }
};

const readDocument = (file: string | undefined) => {
  if (!file) throw new CliError(USAGE);
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
};

/** `rapport config export [FILE]`, `rapport config diff FILE`, `rapport config apply FILE [--yes]`. */
export const configCommands = async (config: RapportConfig, positionals: string[], flags: ConfigFlags): Promise<void> => {
  const [, sub, file, extra] = positionals;
  if (extra) throw new CliError(USAGE);
  const workspace = flags.workspace ? { workspace: flags.workspace } : {};
  if (sub === 'export') {
    const result = await runAdmin(config, { command: 'config.export', format: flags.json ? 'json' : 'yaml', ...workspace });
    const document = String(result.document);
    if (!file) return void process.stdout.write(document);
    writeFileSync(resolve(file), document);
    console.error(`Wrote the configuration of "${String(result.workspace)}" to ${resolve(file)}.`);
    return;
  }
  if (sub === 'diff') {
    const result = await runAdmin(config, { command: 'config.diff', document: readDocument(file), ...workspace });
    console.log(flags.json ? JSON.stringify(result) : `Deploying ${file} to "${String(result.workspace)}" would make:\n${describeChanges(result.changes as ConfigurationChange[])}`);
    return;
  }
  if (sub === 'apply') {
    const document = readDocument(file);
    const diff = await runAdmin(config, { command: 'config.diff', document, ...workspace });
    const changes = diff.changes as ConfigurationChange[];
    if (!flags.json) console.error(`Deploying ${file} to "${String(diff.workspace)}":\n${describeChanges(changes)}`);
    if (changes.length === 0) {
      if (flags.json) console.log(JSON.stringify({ workspace: diff.workspace, deployment: null }));
      return;
    }
    if (!flags.yes) await confirm(`Apply these ${changes.length} changes to "${String(diff.workspace)}"?`);
    // The fingerprint of the diff shown: refused if the workspace changed since.
    const result = await runAdmin(config, { command: 'config.apply', document, fingerprint: String(diff.fingerprint), ...workspace });
    const deployment = result.deployment as ConfigurationDeployment;
    console.log(flags.json ? JSON.stringify(result) : `Applied ${deployment.changes.length} changes to "${String(result.workspace)}" (deployment ${deployment.id}). Roll it back with POST /api/v1/configuration/deployments/${deployment.id}/rollback.`);
    return;
  }
  throw new CliError(USAGE);
};
