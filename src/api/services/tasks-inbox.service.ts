import type { Database } from '../../db/client';
import { createTaskInboxRepository } from '../../db/repositories/tasks-inbox';
import { decodeCursor, encodeCursor, inboxView } from './tasks-view';

/** The person's in-app inbox: reminders and milestones, newest first, with the unread count. */
export function createTaskInboxService(deps: { database: Database }) {
  const inbox = createTaskInboxRepository(deps.database.db);
  return {
    async list(userId: string, q: { unread?: 'true' | 'false'; cursor?: string; limit: number }) {
      const after = q.cursor ? decodeCursor(q.cursor, false) : undefined;
      const [rows, unreadCount] = await Promise.all([
        inbox.list(userId, {
          unreadOnly: q.unread === 'true',
          limit: q.limit,
          ...(after ? { after: { createdAt: after.at, id: after.id } } : {}),
        }),
        inbox.unreadCount(userId),
      ]);
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return {
        items: rows.map(inboxView),
        unreadCount,
        nextCursor: last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },
    /** Marks the given messages (or all) read; answers the count marked and the unread count left. */
    async markRead(userId: string, ids?: string[]) {
      const marked = await inbox.markRead(userId, ids);
      return { marked, unreadCount: await inbox.unreadCount(userId) };
    },
  };
}

export type TaskInboxService = ReturnType<typeof createTaskInboxService>;
