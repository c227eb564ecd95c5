// Typed calls to CohortService (app/ui/cohorts.go).
import * as svc from '../../../wailsjs/go/ui/CohortService';
import type { Cohort, CohortInput, Member, Role } from './types';
import type { ReplySharing } from '../trust';

export const cohortsApi = {
  list: (archived: boolean): Promise<Cohort[]> => svc.List(archived).then((c) => c ?? []),
  get: (id: number): Promise<Cohort> => svc.Get(id),
  create: (input: CohortInput): Promise<Cohort> => svc.Create(input as any),
  update: (id: number, input: CohortInput): Promise<Cohort> => svc.Update(id, input as any),
  archive: (id: number): Promise<void> => svc.Archive(id),
  restore: (id: number): Promise<void> => svc.Restore(id),
  roster: (id: number, history: boolean): Promise<Member[]> => svc.Roster(id, history).then((m) => m ?? []),
  addMembers: (cohortId: number, clientIds: number[], role: Role = 'member'): Promise<number> =>
    svc.AddMembers(cohortId, clientIds, role),
  removeMember: (cohortId: number, clientId: number): Promise<void> => svc.RemoveMember(cohortId, clientId),
  setRole: (cohortId: number, clientId: number, role: Role): Promise<void> => svc.SetRole(cohortId, clientId, role),
  setReplySharing: (cohortId: number, sharing: ReplySharing): Promise<void> => svc.SetReplySharing(cohortId, sharing),
  /** exportConversation saves the cohort's conversation as a web page or an mbox; "" when cancelled. */
  exportConversation: (cohortId: number, format: 'html' | 'mbox'): Promise<string> => svc.ExportConversation(cohortId, format),
};
