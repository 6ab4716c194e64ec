import { sql } from 'kysely';
import type { Db } from '../../../engine/db/database.ts';

/** How a person wants their reminders besides the bell: a preference of the person (like their locale), in every workspace. */
export interface ReminderPreferences {
  /** Reminders also arrive by email (on by default). */
  reminderEmails: boolean;
}

export const readReminderPreferences = async (db: Db, userId: string): Promise<ReminderPreferences> => {
  const { rows } = await sql<{ reminder_emails: boolean }>`select reminder_emails from rapport.user where id = ${userId}`.execute(db);
  return { reminderEmails: rows[0]?.reminder_emails ?? true };
};

export const updateReminderPreferences = async (db: Db, userId: string, patch: Partial<ReminderPreferences>): Promise<ReminderPreferences> => {
  if (patch.reminderEmails !== undefined) {
    await sql`update rapport.user set reminder_emails = ${patch.reminderEmails}, updated_at = now() where id = ${userId}`.execute(db);
  }
  return readReminderPreferences(db, userId);
};
