import type { Migration } from '../migrate.ts';
import { workspacesMigration } from './001-workspaces.ts';
import { jobsMigration } from './002-jobs.ts';
import { identityMigration } from './003-identity.ts';
import { identitySignInMigration } from './004-identity-sign-in.ts';
import { licencesSsoAuditMigration } from './005-licences-sso-audit.ts';
import { searchTokensMigration } from './006-search-tokens.ts';
import { savedViewsMigration } from './007-saved-views.ts';
import { layoutsBrandingMigration } from './008-layouts-branding.ts';
import { workspaceKeysMigration } from './009-workspace-keys.ts';
import { notificationsMigration } from './010-notifications.ts';
import { navigationOrderMigration } from './011-navigation-order.ts';
import { workspaceBlindKeysMigration } from './012-workspace-blind-keys.ts';

export const systemMigrations: Migration[] = [workspacesMigration, jobsMigration, identityMigration, identitySignInMigration, licencesSsoAuditMigration, searchTokensMigration, savedViewsMigration, layoutsBrandingMigration, workspaceKeysMigration, notificationsMigration, navigationOrderMigration, workspaceBlindKeysMigration];
