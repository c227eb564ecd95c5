import { describe, expect, it } from 'vitest';
import { isLazy, views } from './views.svelte';

describe('views fetched on demand', () => {
  it('knows which views start with the window and which are fetched', () => {
    for (const name of ['home', 'clients', 'welcome']) {
      expect(isLazy(name)).toBe(false);
      expect(views.ready(name)).toBe(true);
    }
    expect(isLazy('outbox')).toBe(true);
  });

  it('gives nothing until the script has arrived, then the view, and stays ready', async () => {
    expect(views.ready('unmatched')).toBe(false);
    expect(views.get('unmatched')).toBeUndefined();
    await views.load('unmatched');
    expect(views.ready('unmatched')).toBe(true);
    expect(typeof views.get('unmatched')).toBe('function');
    expect(views.error).toBe('');
  });

  it('preloads every view', async () => {
    await views.preload();
    for (const name of ['client', 'cohorts', 'cohort', 'compose', 'outbox', 'sandbox', 'replies', 'mail-account', 'profile', 'lessons']) {
      expect(views.ready(name)).toBe(true);
    }
  });
});
