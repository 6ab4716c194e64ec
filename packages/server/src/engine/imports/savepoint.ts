import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

let counter = 0;

/**
 * Runs `work` behind a savepoint of the open transaction `trx`: when it throws, what it did is undone
 * and the transaction can go on (a failed statement otherwise aborts the whole transaction).
 */
export const withSavepoint = async <T>(trx: Db, work: () => Promise<T>): Promise<T> => {
  const name = sql.id(`import_sp_${(counter = (counter + 1) % 1_000_000)}`);
  await sql`savepoint ${name}`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint ${name}`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(trx);
    throw error;
  }
};
