import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { EVENTS_CHANNEL } from './outbox.ts';

/**
 * Wakes this server's listeners when events commit in a workspace: through PostgreSQL's LISTEN on
 * `rapport_events` (appendEvents notifies in the writing transaction, so every server hears every
 * write), or by polling the outbox on PGlite. It only says "something new in workspace W": each
 * listener reads the outbox after its own last id, so a missed or merged wake-up loses nothing.
 * It starts with the first subscriber: a server nobody follows does no work.
 */
export interface EventHub {
  /** Calls `onWake` after events commit in the workspace; returns the unsubscribe function. */
  subscribe(workspaceId: string, onWake: () => void): () => void;
  /** Every wake-up of every workspace that has at least one subscriber (consumers such as notifications). */
  onWorkspaceWake(listener: (workspaceId: string) => void): void;
  close(): Promise<void>;
}

export interface CreateEventHubOptions {
  database: Database;
  /** PGlite: how often the outbox is polled while someone follows it. */
  pollMs?: number;
  onError?(error: unknown): void;
}

export const createEventHub = ({ database, pollMs = 100, onError = () => undefined }: CreateEventHubOptions): EventHub => {
  const subscribers = new Map<string, Set<() => void>>();
  const workspaceListeners: ((workspaceId: string) => void)[] = [];
  let stopping: (() => Promise<void>) | undefined;
  let isClosed = false;

  const wake = (workspaceId: string) => {
    const set = subscribers.get(workspaceId);
    if (!set) return;
    for (const listener of workspaceListeners) listener(workspaceId);
    for (const onWake of set) onWake();
  };

  const startPolling = async (): Promise<() => Promise<void>> => {
    const { rows } = await sql<{ id: number | null }>`select max(id) as id from rapport.event`.execute(database.db);
    let lastId = rows[0]?.id ?? 0;
    let polling: Promise<void> | undefined;
    const poll = async () => {
      const { rows: woken } = await sql<{ workspace_id: string; id: number }>`
        select workspace_id, max(id) as id from rapport.event where id > ${lastId} group by workspace_id`.execute(database.db);
      for (const row of woken) {
        lastId = Math.max(lastId, row.id);
        wake(row.workspace_id);
      }
    };
    const timer = setInterval(() => {
      if (polling || subscribers.size === 0) return;
      polling = poll()
        .catch(onError)
        .finally(() => (polling = undefined));
    }, pollMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await polling;
    };
  };

  const start = () => {
    if (stopping || isClosed) return;
    const starting = database.engine === 'postgres' ? database.listen(EVENTS_CHANNEL, wake) : startPolling();
    stopping = async () => (await starting)();
    starting.catch((error: unknown) => {
      stopping = undefined;
      onError(error);
    });
  };

  return {
    subscribe(workspaceId, onWake) {
      let set = subscribers.get(workspaceId);
      if (!set) subscribers.set(workspaceId, (set = new Set()));
      set.add(onWake);
      start();
      return () => {
        set.delete(onWake);
        if (set.size === 0 && subscribers.get(workspaceId) === set) subscribers.delete(workspaceId);
      };
    },
    onWorkspaceWake(listener) {
      workspaceListeners.push(listener);
    },
    async close() {
      isClosed = true;
      subscribers.clear();
      await stopping?.().catch(() => undefined);
    },
  };
};
