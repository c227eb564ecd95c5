// The window's address is the URL hash: #/clients, #/clients/12, #/cohorts,
// #/cohorts/3, #/cohorts/3/digest (its digest's preview), #/cohorts/3/compose (a new announcement), #/cohorts/3/compose/7
// (a draft), #/outbox, #/outbox/7 (one post's recipients), #/sandbox,
// #/sandbox/ADDRESS, #/sandbox/ADDRESS/12 (a message), #/replies, #/replies/3 (a
// cohort's conversations), #/replies/3/7 (one post's), #/unmatched, #/settings/mail, #/settings/profile (the coach's name), #/welcome (the first-run steps),
// #/home (who needs the coach: what a workspace with clients or cohorts opens on), #/lessons (the lesson library).

export type Route =
  | { name: 'clients' }
  | { name: 'client'; id: number }
  | { name: 'cohorts' }
  | { name: 'cohort'; id: number; digest?: boolean }
  | { name: 'compose'; cohortId: number; postId: number }
  | { name: 'outbox'; postId: number }
  | { name: 'sandbox'; address: string; messageId: number }
  | { name: 'replies'; cohortId: number; postId: number }
  | { name: 'unmatched' }
  | { name: 'mail-account' }
  | { name: 'profile' }
  | { name: 'welcome' }
  | { name: 'home' }
  | { name: 'lessons' };

function num(s: string | undefined): number {
  const n = Number(s);
  return s && Number.isInteger(n) && n > 0 ? n : 0;
}

/** parseHash reads a route from location.hash; nothing is home, anything unknown the clients list. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  // No view asked for: the home screen (App swaps in the welcome for an empty
  // workspace before home has anything to show).
  if (parts.length === 0) return { name: 'home' };
  const id = num(parts[1]);
  switch (parts[0]) {
    case 'cohorts':
      if (!id) return { name: 'cohorts' };
      if (parts[2] === 'compose') return { name: 'compose', cohortId: id, postId: num(parts[3]) };
      if (parts[2] === 'digest') return { name: 'cohort', id, digest: true };
      return { name: 'cohort', id };
    case 'clients':
      return id ? { name: 'client', id } : { name: 'clients' };
    case 'outbox':
      return { name: 'outbox', postId: id };
    case 'sandbox': {
      let address = '';
      try {
        address = decodeURIComponent(parts[1] ?? '');
      } catch {
        // a mangled address opens the list of mailboxes
      }
      return { name: 'sandbox', address, messageId: address ? num(parts[2]) : 0 };
    }
    case 'replies':
      return { name: 'replies', cohortId: id, postId: id ? num(parts[2]) : 0 };
    case 'unmatched':
      return { name: 'unmatched' };
    case 'settings':
      return parts[1] === 'profile' ? { name: 'profile' } : { name: 'mail-account' };
    case 'welcome':
      return { name: 'welcome' };
    case 'home':
      return { name: 'home' };
    case 'lessons':
      return { name: 'lessons' };
  }
  return { name: 'clients' };
}

/** href gives the link for a route. */
export function href(r: Route): string {
  switch (r.name) {
    case 'client':
      return `#/clients/${r.id}`;
    case 'cohorts':
      return '#/cohorts';
    case 'cohort':
      return `#/cohorts/${r.id}` + (r.digest ? '/digest' : '');
    case 'compose':
      return `#/cohorts/${r.cohortId}/compose` + (r.postId ? `/${r.postId}` : '');
    case 'outbox':
      return '#/outbox' + (r.postId ? `/${r.postId}` : '');
    case 'sandbox':
      return '#/sandbox' + (r.address ? `/${encodeURIComponent(r.address)}` + (r.messageId ? `/${r.messageId}` : '') : '');
    case 'replies':
      return '#/replies' + (r.cohortId ? `/${r.cohortId}` + (r.postId ? `/${r.postId}` : '') : '');
    case 'unmatched':
      return '#/unmatched';
    case 'mail-account':
      return '#/settings/mail';
    case 'profile':
      return '#/settings/profile';
    case 'welcome':
      return '#/welcome';
    case 'home':
      return '#/home';
    case 'lessons':
      return '#/lessons';
    default:
      return '#/clients';
  }
}

/**
 * viewKey names the view a route shows: moving between routes with the same key
 * keeps the view (and its state, such as a draft being typed) in place.
 */
export function viewKey(r: Route): string {
  switch (r.name) {
    case 'client':
    case 'cohort':
      return `${r.name}:${r.id}`;
    case 'compose':
      return `compose:${r.cohortId}`;
    default:
      return r.name;
  }
}

/**
 * startHash is the view the window opens on: the address's own, else the one a
 * script asked for (ROUNDTABLE_START_ROUTE, which the Go side writes into the
 * page as a meta tag, app/ui/startroute.go), else none (home).
 */
function startHash(): string {
  if (typeof location === 'undefined') return '';
  if (location.hash) return location.hash;
  let asked = document.querySelector<HTMLMetaElement>('meta[name="roundtable-start-route"]')?.content ?? '';
  if (!asked) return '';
  if (!asked.startsWith('#')) asked = '#' + asked;
  history.replaceState(history.state, '', asked);
  return asked;
}

class Router {
  route = $state<Route>(parseHash(startHash()));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => (this.route = parseHash(location.hash)));
    }
  }

  go(r: Route): void {
    location.hash = href(r);
  }

  /** replace changes the address without a new history entry (a new draft got its id). */
  replace(r: Route): void {
    history.replaceState(history.state, '', href(r));
    this.route = r;
  }
}

export const router = new Router();
