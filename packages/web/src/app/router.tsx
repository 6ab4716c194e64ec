import { createBrowserRouter, Navigate } from 'react-router';
import { NotFoundScreen } from '../components/ui/screens.tsx';
import { GuidedTour } from '../features/account/guided-tour.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { SignUpPage } from '../features/auth/sign-up-page.tsx';
import { HomePage } from '../features/home/home-page.tsx';
import { AppLayout } from '../features/shell/app-layout.tsx';
import { PublicOnly, RequireSession } from './route-guards.tsx';
import { loadRecordTablePage } from './route-modules.ts';

// Record screens load on first use: the first paint needs only the shell.
export const router = createBrowserRouter([
  { path: '/sign-in', element: <PublicOnly><SignInPage /></PublicOnly> },
  { path: '/sign-up', element: <PublicOnly><SignUpPage /></PublicOnly> },
  {
    path: '/forgot-password',
    lazy: async () => {
      const { ForgotPasswordPage } = await import('../features/account/token-pages.tsx');
      return { Component: () => <PublicOnly><ForgotPasswordPage /></PublicOnly> };
    },
  },
  // Links from emails: they work whether or not someone is signed in in this browser.
  { path: '/accept-invitation', lazy: async () => ({ Component: (await import('../features/account/token-pages.tsx')).AcceptInvitationPage }) },
  { path: '/reset-password', lazy: async () => ({ Component: (await import('../features/account/token-pages.tsx')).ResetPasswordPage }) },
  // Public booking pages (no sign-in): a visitor books a meeting, or moves or cancels it from their invitation's link.
  { path: '/book/manage/:token', lazy: async () => ({ Component: (await import('../features/booking/manage-booking-page.tsx')).ManageBookingPage }) },
  { path: '/book/:slug', lazy: async () => ({ Component: (await import('../features/booking/booking-page.tsx')).BookingPage }) },
  {
    element: <RequireSession><AppLayout /><GuidedTour /></RequireSession>,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'objects/:object', lazy: async () => ({ Component: (await loadRecordTablePage()).RecordTablePage }) },
      { path: 'objects/:object/new', lazy: async () => ({ Component: (await import('../features/object-record/form/record-form-pages.tsx')).CreateRecordPage }) },
      { path: 'objects/:object/:id', lazy: async () => ({ Component: (await import('../features/object-record/record-page/record-page.tsx')).RecordPage }) },
      { path: 'objects/:object/:id/edit', lazy: async () => ({ Component: (await import('../features/object-record/form/record-form-pages.tsx')).EditRecordPage }) },
      { path: 'objects/:object/trash', lazy: async () => ({ Component: (await import('../features/object-record/trash/trash-page.tsx')).TrashPage }) },
      { path: 'objects/:object/duplicates', lazy: async () => ({ Component: (await import('../features/duplicates/duplicates-page.tsx')).DuplicatesPage }) },
      { path: 'objects/:object/:id/merge/:other', lazy: async () => ({ Component: (await import('../features/duplicates/merge-page.tsx')).MergePage }) },
      { path: 'imports', lazy: async () => ({ Component: (await import('../features/imports/import-history-page.tsx')).ImportHistoryPage }) },
      { path: 'imports/new', lazy: async () => ({ Component: (await import('../features/imports/import-wizard-page.tsx')).ImportWizardPage }) },
      { path: 'imports/:id', lazy: async () => ({ Component: (await import('../features/imports/import-history-page.tsx')).ImportRunPage }) },
      { path: 'activities', lazy: async () => ({ Component: (await import('../features/activities/my-activities-page.tsx')).MyActivitiesPage }) },
      { path: 'sales', lazy: async () => ({ Component: (await import('../features/sales/sales-dashboard-page.tsx')).SalesDashboardPage }) },
      { path: 'sales/forecast', lazy: async () => ({ Component: (await import('../features/sales/forecast-page.tsx')).ForecastPage }) },
      { path: 'sales/leaderboard', lazy: async () => ({ Component: (await import('../features/sales/leaderboard-page.tsx')).LeaderboardPage }) },
      { path: 'account/security', lazy: async () => ({ Component: (await import('../features/account/security-page.tsx')).SecurityPage }) },
      { path: 'account/preferences', lazy: async () => ({ Component: (await import('../features/account/preferences-page.tsx')).PreferencesPage }) },
      {
        path: 'settings',
        lazy: async () => ({ Component: (await import('../features/settings/settings-layout.tsx')).SettingsLayout }),
        children: [
          { index: true, element: <Navigate to="/settings/users" replace /> },
          { path: 'users', lazy: async () => ({ Component: (await import('../features/settings/users-page.tsx')).UsersPage }) },
          { path: 'roles', lazy: async () => ({ Component: (await import('../features/settings/roles-page.tsx')).RolesPage }) },
          { path: 'roles/:id', lazy: async () => ({ Component: (await import('../features/settings/roles-page.tsx')).RoleEditorPage }) },
          { path: 'teams', lazy: async () => ({ Component: (await import('../features/settings/teams-page.tsx')).TeamsPage }) },
          { path: 'sharing', lazy: async () => ({ Component: (await import('../features/settings/sharing-page.tsx')).SharingPage }) },
          { path: 'licences', lazy: async () => ({ Component: (await import('../features/settings/licences-page.tsx')).LicencesPage }) },
          { path: 'sso', lazy: async () => ({ Component: (await import('../features/settings/sso-page.tsx')).SsoPage }) },
          { path: 'api-keys', lazy: async () => ({ Component: (await import('../features/settings/api-keys-page.tsx')).ApiKeysPage }) },
          { path: 'telephony', lazy: async () => ({ Component: (await import('../features/telephony/telephony-settings-page.tsx')).TelephonySettingsPage }) },
          { path: 'action-templates', lazy: async () => ({ Component: (await import('../features/action-templates/action-templates-page.tsx')).ActionTemplatesPage }) },
          { path: 'audit', lazy: async () => ({ Component: (await import('../features/settings/audit-page.tsx')).AuditPage }) },
          { path: 'backups', lazy: async () => ({ Component: (await import('../features/settings/backups-page.tsx')).BackupsPage }) },
          { path: 'retention', lazy: async () => ({ Component: (await import('../features/settings/retention-page.tsx')).RetentionPage }) },
          { path: 'sandboxes', lazy: async () => ({ Component: (await import('../features/sandboxes/sandboxes-page.tsx')).SandboxesPage }) },
          { path: 'sandboxes/:id', lazy: async () => ({ Component: (await import('../features/sandboxes/compare-page.tsx')).SandboxComparePage }) },
          { path: 'objects', lazy: async () => ({ Component: (await import('../features/settings/objects/objects-page.tsx')).ObjectsPage }) },
          { path: 'objects/:object', lazy: async () => ({ Component: (await import('../features/settings/objects/object-page.tsx')).ObjectPage }) },
          { path: 'objects/:object/layout', lazy: async () => ({ Component: (await import('../features/settings/objects/layout-editor-page.tsx')).LayoutEditorPage }) },
          { path: 'pipelines', lazy: async () => ({ Component: (await import('../features/pipeline-settings/pipelines-page.tsx')).PipelinesPage }) },
          { path: 'pipelines/:id', lazy: async () => ({ Component: (await import('../features/pipeline-settings/pipelines-page.tsx')).PipelinesPage }) },
          { path: 'workspace', lazy: async () => ({ Component: (await import('../features/settings/workspace-page.tsx')).WorkspacePage }) },
        ],
      },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);
