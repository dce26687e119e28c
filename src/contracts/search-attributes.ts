import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

/**
 * Custom search attributes. They are NOT encrypted by the payload codec, so they hold only ids and
 * statuses, never health content (docs/architecture.md, principle 6). Pure data: workflows import it.
 */
export const UserIdKey: SearchAttributeKey<'KEYWORD'> = { name: 'UserId', type: 'KEYWORD' };
/** Business status of the run (e.g. `running`, `needs_input`), finer than Temporal's execution status. */
export const StatusKey: SearchAttributeKey<'KEYWORD'> = { name: 'WellflowStatus', type: 'KEYWORD' };

export const SEARCH_ATTRIBUTES = [UserIdKey, StatusKey] as const;
