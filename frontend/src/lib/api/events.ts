// Event names the Go side emits; app/ui/ui.go, mail.go and conversations.go declare them. Mirrored here once.
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import type { Progress, SyncState } from './types';

export const EventImportProgress = 'clients:import:progress';
export const EventOutboxProgress = 'outbox:progress';
export const EventSyncProgress = 'inbox:sync:progress';
export const EventSyncDone = 'inbox:sync:done';

/** onImportProgress calls fn with each import progress report; returns the unsubscribe. */
export function onImportProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventImportProgress, (p: Progress) => fn(p));
}

/** onOutboxProgress calls fn after each message the outbox sends; returns the unsubscribe. */
export function onOutboxProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventOutboxProgress, (p: Progress) => fn(p));
}

/** onSyncProgress calls fn with each inbox sync progress report; returns the unsubscribe. */
export function onSyncProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventSyncProgress, (p: Progress) => fn(p));
}

/** onSyncDone calls fn when an inbox sync finishes (new replies may be in); returns the unsubscribe. */
export function onSyncDone(fn: (s: SyncState) => void): () => void {
  return EventsOn(EventSyncDone, (s: SyncState) => fn(s));
}
