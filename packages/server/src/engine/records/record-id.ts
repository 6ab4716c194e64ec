import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// Random bytes come from a pool: one call into the system per 256 ids rather than one per id.
const pool = new Uint8Array(16 * 256);
let used = pool.length;

/**
 * A new record id: a version 7 UUID, time-ordered, so that new rows land at the end of the primary
 * key (a few hot pages) rather than on random pages all over it — fewer pages touched and logged.
 */
export const newRecordId = (): string => {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const random = pool.subarray(used, (used += 16));
  return v7({ random });
};
