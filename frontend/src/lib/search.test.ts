import { describe, expect, it } from 'vitest';
import { buildQuery, flatten, hitKey, move, noFilters, ready, reveal, revealSelector, routeFor } from './search';
import type { SearchHit } from './api/types';

function hit(h: Partial<SearchHit>): SearchHit {
  return { kind: 'reply', id: 1, parentId: 0, cohortId: 0, cohort: '', clientId: 0, title: '', at: '', private: false, unmatched: false, snippet: [], substring: false, ...h };
}

describe('routeFor', () => {
  it('opens each kind where the coach reads it', () => {
    expect(routeFor(hit({ kind: 'client', id: 4 }))).toEqual({ name: 'client', id: 4 });
    expect(routeFor(hit({ kind: 'reply', id: 9, cohortId: 2, parentId: 7 }))).toEqual({ name: 'replies', cohortId: 2, postId: 7 });
    expect(routeFor(hit({ kind: 'reply', id: 9, cohortId: 2, parentId: 7, unmatched: true }))).toEqual({ name: 'unmatched' });
    expect(routeFor(hit({ kind: 'reply', id: 9, clientId: 3 }))).toEqual({ name: 'client', id: 3 });
    expect(routeFor(hit({ kind: 'post', id: 7, cohortId: 2 }))).toEqual({ name: 'replies', cohortId: 2, postId: 7 });
    expect(routeFor(hit({ kind: 'session', id: 5, cohortId: 2 }))).toEqual({ name: 'cohort', id: 2 });
    expect(routeFor(hit({ kind: 'session_note', id: 5, clientId: 3 }))).toEqual({ name: 'client', id: 3 });
    expect(routeFor(hit({ kind: 'attendee_note', id: 5, cohortId: 2, clientId: 3 }))).toEqual({ name: 'client', id: 3 });
    expect(routeFor(hit({ kind: 'lesson', id: 5 }))).toEqual({ name: 'lessons' });
  });
  it('opens a kind it does not know by its cohort or client', () => {
    expect(routeFor(hit({ kind: 'other', id: 5, cohortId: 2 }))).toEqual({ name: 'cohort', id: 2 });
    expect(routeFor(hit({ kind: 'other', id: 5 }))).toBeNull();
  });
});

describe('keyboard', () => {
  it('moves through every hit of every group and wraps', () => {
    const hits = flatten([
      { kind: 'client', label: 'Clients', total: 1, more: false, hits: [hit({ kind: 'client', id: 1 })] },
      { kind: 'reply', label: 'Replies', total: 2, more: false, hits: [hit({ id: 2 }), hit({ id: 3 })] },
    ]);
    expect(hits.map(hitKey)).toEqual(['client-1-0', 'reply-2-0', 'reply-3-0']);
    expect(move(-1, 1, 3)).toBe(0);
    expect(move(-1, -1, 3)).toBe(2);
    expect(move(2, 1, 3)).toBe(0);
    expect(move(0, -1, 3)).toBe(2);
    expect(move(0, 1, 0)).toBe(-1);
  });
  it('tells two notes on one session apart', () => {
    expect(hitKey(hit({ kind: 'attendee_note', id: 5, clientId: 1 }))).not.toBe(hitKey(hit({ kind: 'attendee_note', id: 5, clientId: 2 })));
  });
});

describe('buildQuery', () => {
  it('leaves out what is not chosen', () => {
    const q = buildQuery('pricing', noFilters);
    expect(q).toEqual({ text: 'pricing', kinds: [], cohortId: 0, clientId: 0, perKind: 5 });
    expect('from' in q || 'to' in q).toBe(false);
  });
  it('reads days on the local clock, the last day included', () => {
    const q = buildQuery('x', { ...noFilters, kind: 'reply', cohortId: 3, from: '2026-03-01', to: '2026-03-31' });
    expect(q.kinds).toEqual(['reply']);
    expect(q.cohortId).toBe(3);
    expect(q.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(q.to).toBe(new Date(2026, 3, 1).toISOString());
    expect(buildQuery('x', { ...noFilters, from: 'March' }).from).toBeUndefined();
  });
  it('waits for two characters', () => {
    expect(ready(' a ')).toBe(false);
    expect(ready('ab')).toBe(true);
    expect(ready('😀é')).toBe(true);
  });
});

describe('reveal', () => {
  it('waits for the reply to be shown, then focuses it', async () => {
    document.body.innerHTML = '<main></main>';
    setTimeout(() => (document.querySelector('main')!.innerHTML = '<article data-reply-id="9">found</article>'), 120);
    const sel = revealSelector(hit({ kind: 'reply', id: 9, cohortId: 2, parentId: 7 }));
    expect(await reveal(sel, 2000)).toBe(true);
    expect(document.activeElement?.getAttribute('data-reply-id')).toBe('9');
  });
  it('gives up quietly, and has nothing to find for a client', async () => {
    document.body.innerHTML = '';
    expect(await reveal('[data-reply-id="1"]', 100)).toBe(false);
    expect(revealSelector(hit({ kind: 'client', id: 1 }))).toBe('');
    expect(revealSelector(hit({ kind: 'reply', id: 1, unmatched: true }))).toBe('');
  });
});
