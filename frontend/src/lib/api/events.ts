// Event names the Go side emits; app/ui/ui.go declares them. Mirrored here once.
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import type { Progress } from './types';

export const EventImportProgress = 'clients:import:progress';

/** onImportProgress calls fn with each import progress report; returns the unsubscribe. */
export function onImportProgress(fn: (p: Progress) => void): () => void {
  return EventsOn(EventImportProgress, (p: Progress) => fn(p));
}
