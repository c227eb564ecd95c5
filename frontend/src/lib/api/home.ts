// Typed calls to HomeService (app/ui/home.go): the home screen, the roster's
// sparklines and each cohort's quiet days.
import * as svc from '../../../wailsjs/go/ui/HomeService';
import type { CohortEngagement, Home, RosterActivity } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function cohort(c: CohortEngagement): CohortEngagement {
  return { ...c, weeks: c.weeks ?? [], signals: (c.signals ?? []).map((s) => ({ ...s, members: s.members ?? [] })) };
}

function home(h: unknown): Home {
  const v = h as Home;
  return {
    ...v,
    agenda: v.agenda ?? [],
    outbox: { ...v.outbox, failed: v.outbox?.failed ?? [] },
    unread: v.unread ?? [],
    unapproved: v.unapproved ?? [],
    bounces: v.bounces ?? [],
    quiet: v.quiet ?? [],
    cohorts: (v.cohorts ?? []).map(cohort),
    weeks: v.weeks ?? [],
  };
}

export const homeApi = {
  get: (): Promise<Home> => svc.Get().then(home),
  rosterActivity: (cohortId: number): Promise<RosterActivity> =>
    svc.RosterActivity(cohortId).then((r) => ({ weeks: (r?.weeks ?? []) as string[], members: r?.members ?? [] })),
  setQuietDays: (cohortId: number, days: number): Promise<void> => svc.SetQuietDays(cohortId, days),
  quietDefaults: (): Promise<Record<string, number>> => svc.QuietDefaults().then((d) => d ?? {}),
};
