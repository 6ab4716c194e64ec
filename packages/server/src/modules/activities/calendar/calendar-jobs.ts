import type { EngineServices } from '../../../engine/api/context.ts';
import type { JobHandler } from '../../../engine/jobs/index.ts';
import { createMeetingInvitationJobHandler, MEETING_INVITATION_JOB } from './meeting-invitation.job.ts';
import { createTaskReminderEmailJobHandler, TASK_REMINDER_EMAIL_JOB } from './task-reminder-email.job.ts';

/** The calendar's jobs: invitations and reminder emails, sent through the server's mailer. */
export const calendarJobHandlers = (services: Pick<EngineServices, 'metadata' | 'accessProfiles' | 'identity'>): Record<string, JobHandler> => ({
  [MEETING_INVITATION_JOB]: createMeetingInvitationJobHandler({ metadata: services.metadata, mailer: services.identity.mailer }),
  [TASK_REMINDER_EMAIL_JOB]: createTaskReminderEmailJobHandler({
    metadata: services.metadata,
    accessProfiles: services.accessProfiles,
    mailer: services.identity.mailer,
    publicUrl: services.identity.settings.publicUrl,
  }),
});
