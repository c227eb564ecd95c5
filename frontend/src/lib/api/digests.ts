// Typed calls to DigestService (app/ui/digests.go): a cohort's digest settings,
// the preview of the next digest, how each member gets the cohort's mail, the
// coach's marks on replies, what a client received, and "send what is due now".
import * as svc from '../../../wailsjs/go/ui/DigestService';
import type { DeliveryMode, Digest, DigestPreview, DigestSettings, DueSummary, ReplyMark } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function preview(p: DigestPreview): DigestPreview {
  return { ...p, items: p.items ?? [] };
}

export const digestsApi = {
  settings: (cohortId: number): Promise<DigestSettings> => svc.Settings(cohortId) as unknown as Promise<DigestSettings>,
  saveSettings: (cohortId: number, d: DigestSettings): Promise<void> => svc.SaveSettings(cohortId, d as any),
  /** preview renders the cohort's next digest as one member will get it; nothing is recorded. */
  preview: (cohortId: number, clientId: number): Promise<DigestPreview> =>
    svc.Preview(cohortId, clientId).then((p) => preview(p as unknown as DigestPreview)),
  /** history is what a client received, newest first. */
  history: (clientId: number): Promise<Digest[]> =>
    svc.History(clientId).then((ds) => (ds ?? []).map((d) => ({ ...(d as unknown as Digest), items: d.items ?? [] }))),
  setDelivery: (cohortId: number, clientIds: number[], mode: DeliveryMode): Promise<number> => svc.SetDelivery(cohortId, clientIds, mode),
  markReply: (replyId: number, mark: ReplyMark, on: boolean): Promise<void> => svc.MarkReply(replyId, mark, on),
  /** runDue queues what is due now (digests whose hour has come) and wakes the outbox. */
  runDue: (): Promise<DueSummary> => svc.RunDue(),
};
