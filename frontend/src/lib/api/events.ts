// Event names the Go side emits; app/ui/ui.go and app/ui/mail.go declare them. Mirrored here once.
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import type { Progress } from './types';

export const EventImportProgress = 'clients:import:progress';
export const EventOutboxProgress = 'outbox:progress';

/** onImportProgress calls fn with each import progress report; returns the unsubscribe. */
export function onImportProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventImportProgress, (p: Progress) => fn(p));
}

/** onOutboxProgress calls fn after each message the outbox sends; returns the unsubscribe. */
export function onOutboxProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventOutboxProgress, (p: Progress) => fn(p));
}
