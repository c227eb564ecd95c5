// The window's address is the URL hash: #/clients, #/clients/12, #/cohorts, #/cohorts/3.

export type Route =
  | { name: 'clients' }
  | { name: 'client'; id: number }
  | { name: 'cohorts' }
  | { name: 'cohort'; id: number };

/** parseHash reads a route from location.hash; anything unknown is the clients list. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const id = Number(parts[1]);
  if (parts[0] === 'cohorts') return parts[1] && id > 0 ? { name: 'cohort', id } : { name: 'cohorts' };
  if (parts[0] === 'clients' && parts[1] && id > 0) return { name: 'client', id };
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
      return `#/cohorts/${r.id}`;
    default:
      return '#/clients';
  }
}

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => (this.route = parseHash(location.hash)));
    }
  }

  go(r: Route): void {
    location.hash = href(r);
  }
}

export const router = new Router();
