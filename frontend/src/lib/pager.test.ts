import { describe, expect, it, vi } from 'vitest';
import { PageLoader } from './pager.svelte';

function rows(offset: number, limit: number, total: number) {
  return Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ id: offset + i }));
}

describe('PageLoader', () => {
  it('loads the first page and learns the total', async () => {
    const fetch = vi.fn((offset: number, limit: number) => Promise.resolve({ rows: rows(offset, limit, 10000), total: 10000 }));
    const p = new PageLoader(fetch, 200);
    await p.reset();
    expect(fetch).toHaveBeenCalledWith(0, 200);
    expect(p.total).toBe(10000);
    expect(p.row(199)).toEqual({ id: 199 });
    expect(p.row(200)).toBeUndefined();
  });

  it('loads only the pages that hold the rows in view, each once', async () => {
    const fetch = vi.fn((offset: number, limit: number) => Promise.resolve({ rows: rows(offset, limit, 10000), total: 10000 }));
    const p = new PageLoader(fetch, 200);
    await p.reset();
    await Promise.all([p.ensure(4950, 5010), p.ensure(4990, 5030)]);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([0, 4800, 5000]);
    expect(p.row(5010)).toEqual({ id: 5010 });
  });

  it('does not ask past the end of the list', async () => {
    const fetch = vi.fn((offset: number, limit: number) => Promise.resolve({ rows: rows(offset, limit, 250), total: 250 }));
    const p = new PageLoader(fetch, 200);
    await p.reset();
    await p.ensure(0, 900);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([0, 200]);
  });

  it('drops an answer that arrives after the filter changed', async () => {
    let release: (v: { rows: { id: number }[]; total: number }) => void = () => {};
    const fetch = vi
      .fn()
      .mockImplementationOnce(() => new Promise((r) => (release = r)))
      .mockImplementationOnce(() => Promise.resolve({ rows: [{ id: 7 }], total: 1 }));
    const p = new PageLoader(fetch, 200);
    const stale = p.reset();
    await p.reset();
    release({ rows: [{ id: 1 }, { id: 2 }], total: 2 });
    await stale;
    expect(p.total).toBe(1);
    expect(p.row(0)).toEqual({ id: 7 });
  });

  it("keeps the coach's sentence when a page fails", async () => {
    const p = new PageLoader(() => Promise.reject('The workspace is locked by another program.'), 200);
    await p.reset();
    expect(p.error).toBe('The workspace is locked by another program.');
    expect(p.loaded).toBe(true);
  });
});
