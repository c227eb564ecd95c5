import { describe, expect, it, vi } from 'vitest';
import { href, parseHash, viewKey, type Route } from './stores/route.svelte';

describe('routes', () => {
  const cases: [string, Route][] = [
    ['#/clients', { name: 'clients' }],
    ['#/clients/12', { name: 'client', id: 12 }],
    ['#/cohorts', { name: 'cohorts' }],
    ['#/cohorts/3', { name: 'cohort', id: 3 }],
    ['#/cohorts/3/digest', { name: 'cohort', id: 3, digest: true }],
    ['#/cohorts/3/compose', { name: 'compose', cohortId: 3, postId: 0 }],
    ['#/cohorts/3/compose/7', { name: 'compose', cohortId: 3, postId: 7 }],
    ['#/outbox', { name: 'outbox', postId: 0 }],
    ['#/outbox/7', { name: 'outbox', postId: 7 }],
    ['#/sandbox', { name: 'sandbox', address: '', messageId: 0 }],
    ['#/sandbox/ada%2Bx%40example.com', { name: 'sandbox', address: 'ada+x@example.com', messageId: 0 }],
    ['#/sandbox/ada%40example.com/9', { name: 'sandbox', address: 'ada@example.com', messageId: 9 }],
    ['#/replies', { name: 'replies', cohortId: 0, postId: 0 }],
    ['#/replies/3', { name: 'replies', cohortId: 3, postId: 0 }],
    ['#/replies/3/7', { name: 'replies', cohortId: 3, postId: 7 }],
    ['#/unmatched', { name: 'unmatched' }],
    ['#/settings/mail', { name: 'mail-account' }],
    ['#/settings/profile', { name: 'profile' }],
    ['#/welcome', { name: 'welcome' }],
    ['#/home', { name: 'home' }],
    ['#/lessons', { name: 'lessons' }],
  ];
  for (const [hash, route] of cases) {
    it(`reads ${hash} and writes it back`, () => {
      expect(parseHash(hash)).toEqual(route);
      expect(href(route)).toBe(hash);
    });
  }

  it('opens home when no view is asked for, never a list that is then swapped', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
  });

  it('opens the clients list for anything unknown', () => {
    expect(parseHash('#/nowhere/5')).toEqual({ name: 'clients' });
    expect(parseHash('#/sandbox/%E0%A4%A')).toEqual({ name: 'sandbox', address: '', messageId: 0 });
  });

  it('keeps the editor in place when a new draft gets its id', () => {
    expect(viewKey({ name: 'compose', cohortId: 3, postId: 0 })).toBe(viewKey({ name: 'compose', cohortId: 3, postId: 7 }));
    expect(viewKey({ name: 'cohort', id: 3 })).not.toBe(viewKey({ name: 'cohort', id: 4 }));
  });
});

describe('the view a script asked for', () => {
  it('opens on the route the page carries as a meta tag, without asking the Go side', async () => {
    history.replaceState(null, '', location.pathname);
    const meta = document.createElement('meta');
    meta.name = 'roundtable-start-route';
    meta.content = '#/cohorts/3';
    document.head.append(meta);
    vi.resetModules();
    try {
      const { router } = await import('./stores/route.svelte');
      expect(router.route).toEqual({ name: 'cohort', id: 3 });
      expect(location.hash).toBe('#/cohorts/3');
    } finally {
      meta.remove();
      history.replaceState(null, '', location.pathname);
    }
  });

  it('opens home when the page carries none', async () => {
    history.replaceState(null, '', location.pathname);
    vi.resetModules();
    const { router } = await import('./stores/route.svelte');
    expect(router.route).toEqual({ name: 'home' });
  });
});
