/**
 * Configuration as code and sandboxes (engine/configuration), shared by the server, the CLI and the web app.
 *
 * A workspace's configuration (objects, fields, layouts, views, roles, validation rules...) is exported
 * as one readable, versioned document (`GET /configuration`). A document can be compared with a
 * workspace (`POST /configuration/preview`) and deployed to it (`POST /configuration/deployments`),
 * and a deployment rolled back. A sandbox is a workspace made from another one (its production):
 * its configuration, and optionally a sample of its records; what was changed in the sandbox is
 * shown as the changes a deployment would make to production, then deployed in one step.
 */

export const CONFIGURATION_FORMAT = 'rapport.configuration';
export const CONFIGURATION_VERSION = 1;

/** The kinds of things a configuration holds, in the order a deployment applies them. */
export const CONFIGURATION_SECTIONS = ['objects', 'fields', 'validationRules', 'layouts', 'views', 'roles'] as const;
export type ConfigurationSection = (typeof CONFIGURATION_SECTIONS)[number];

export type ConfigurationChangeAction = 'add' | 'change' | 'remove';

/** One difference between a workspace and a configuration: what a deployment would do. */
export interface ConfigurationChange {
  section: ConfigurationSection;
  /** Stable key of the thing within its section, e.g. `person.nickname` for a field. */
  key: string;
  /** What a person reads, e.g. `People › Nickname`. */
  label: string;
  action: ConfigurationChangeAction;
  /** For changes: the properties that differ (e.g. `label`, `options`). */
  properties?: string[];
  before?: unknown;
  after?: unknown;
  /** Removing it moves data to the trash (recoverable for 30 days): shown as a warning before deploying. */
  destructive: boolean;
}

/** What a deployment would change in the target workspace (`POST /configuration/preview`, `GET /sandboxes/{id}/diff`). */
export interface ConfigurationDiff {
  changes: ConfigurationChange[];
  /**
   * The target's configuration as compared: a deployment given this fingerprint is refused
   * (409 CONFIGURATION_CHANGED) when the target changed since the preview.
   */
  fingerprint: string;
}

export type SandboxData = 'none' | 'sample';

export interface CreateSandboxInput {
  name: string;
  /** Configuration only, or with a sample of each object's records. */
  data: SandboxData;
  /** Records per object when `data` is `sample` (default 100). */
  sampleSize?: number;
}

export interface Sandbox {
  id: string;
  name: string;
  /** The sandbox's own workspace: switch to it to work in the sandbox. */
  workspaceId: string;
  /** The workspace it was made from, and deploys to. */
  sourceWorkspaceId: string;
  data: SandboxData;
  sampleSize: number;
  createdAt: string;
  createdBy: string | null;
  lastDeployedAt: string | null;
}

/** `GET /sandboxes/current`: whether the caller's workspace is a sandbox, and of which production. */
export interface CurrentSandbox {
  sandbox: Sandbox | null;
  production: { id: string; name: string } | null;
}

export type ConfigurationDeploymentStatus = 'applied' | 'rolledBack' | 'failed';

export interface ConfigurationDeployment {
  id: string;
  workspaceId: string;
  source: { kind: 'sandbox'; sandboxId: string; name: string } | { kind: 'file' };
  status: ConfigurationDeploymentStatus;
  changes: ConfigurationChange[];
  createdAt: string;
  createdBy: string | null;
  rolledBackAt: string | null;
  error: string | null;
}
