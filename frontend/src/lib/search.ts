// The search palette's logic, apart from its view: where a hit opens, the
// order the keyboard moves through hits, and the query a set of filters makes.
import type { Route } from './stores/route.svelte';
import type { SearchGroup, SearchHit, SearchQuery } from './api/types';

/** minChars is how much must be typed before searching (a single letter would match most of a workspace). */
export const minChars = 2;

/**
 * routeFor is where a hit opens: a client's page, a reply's conversation (the
 * unmatched queue while it waits there), a post's conversation, a session's
 * cohort or client. A kind this window does not know yet (added on the Go
 * side) opens its cohort, else its client; null when it has neither.
 */
export function routeFor(h: SearchHit): Route | null {
  switch (h.kind) {
    case 'client':
      return { name: 'client', id: h.id };
    case 'reply':
      if (h.unmatched) return { name: 'unmatched' };
      if (h.cohortId && h.parentId) return { name: 'replies', cohortId: h.cohortId, postId: h.parentId };
      break;
    case 'post':
      if (h.cohortId) return { name: 'replies', cohortId: h.cohortId, postId: h.id };
      break;
    case 'attendee_note':
      if (h.clientId) return { name: 'client', id: h.clientId };
      break;
    case 'lesson':
      return { name: 'lessons' };
  }
  if (h.cohortId) return { name: 'cohort', id: h.cohortId };
  if (h.clientId) return { name: 'client', id: h.clientId };
  return null;
}

/** flatten lists the hits in the order they show, for Up and Down. */
export function flatten(groups: SearchGroup[]): SearchHit[] {
  return groups.flatMap((g) => g.hits);
}

/** hitKey names a hit uniquely on screen (an attendee note is its session and its client). */
export function hitKey(h: SearchHit): string {
  return `${h.kind}-${h.id}-${h.kind === 'attendee_note' ? h.clientId : 0}`;
}

/** move steps the active hit by delta, wrapping at both ends; -1 stays -1 when there is nothing. */
export function move(active: number, delta: number, count: number): number {
  if (count === 0) return -1;
  if (active < 0) return delta > 0 ? 0 : count - 1;
  return (active + delta + count) % count;
}

export type SearchFilters = { kind: string; cohortId: number; clientId: number; from: string; to: string };

export const noFilters: SearchFilters = { kind: '', cohortId: 0, clientId: 0, from: '', to: '' };

/**
 * buildQuery makes the query for the text and filters: days (YYYY-MM-DD, on
 * this computer's clock) become times, the last day included; a bound left
 * empty is left out (Go reads "" as no time at all only when it is absent).
 */
export function buildQuery(text: string, f: SearchFilters, perKind = 5): SearchQuery {
  const q: SearchQuery = { text, kinds: f.kind ? [f.kind] : [], cohortId: f.cohortId, clientId: f.clientId, perKind };
  const day = (s: string, add: number) => {
    const [y, m, d] = s.split('-').map(Number);
    return new Date(y, m - 1, d + add).toISOString();
  };
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.from)) q.from = day(f.from, 0);
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.to)) q.to = day(f.to, 1);
  return q;
}

/** ready says whether the text is enough to search. */
export function ready(text: string): boolean {
  return [...text.trim()].length >= minChars;
}

/**
 * revealSelector names the element that shows a hit once its view is open, to
 * scroll to and focus; "" when the view itself is the place (a client's page).
 */
export function revealSelector(h: SearchHit): string {
  return h.kind === 'reply' && !h.unmatched ? `[data-reply-id="${h.id}"]` : '';
}

/**
 * reveal waits (up to timeout ms) for the element to appear in the view being
 * opened, then scrolls it into the middle and gives it the focus, so that the
 * coach lands on the reply found rather than at the top of its conversation.
 */
export function reveal(selector: string, timeout = 5000, root: ParentNode = document): Promise<boolean> {
  return new Promise((resolve) => {
    const end = Date.now() + timeout;
    const look = () => {
      const el = root.querySelector<HTMLElement>(selector);
      if (el) {
        el.scrollIntoView?.({ block: 'center' });
        if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
        el.focus({ preventScroll: true });
        resolve(true);
      } else if (Date.now() < end) {
        setTimeout(look, 50);
      } else {
        resolve(false);
      }
    };
    look();
  });
}
