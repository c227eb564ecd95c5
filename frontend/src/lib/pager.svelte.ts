// PageLoader keeps the rows of a long list in pages fetched as the coach
// scrolls, so that 10,000 clients never travel to the window at once.
import { errorMessage } from './api/errors';

export type FetchPage<T> = (offset: number, limit: number) => Promise<{ rows: T[]; total: number }>;

export class PageLoader<T> {
  /** total is the number of rows in the whole list, known from the first page. */
  total = $state(0);
  /** loaded is false until the first page of the current list has arrived. */
  loaded = $state(false);
  error = $state('');
  /** epoch changes each time the list is reset, so views can scroll back to the top. */
  epoch = $state(0);
  /** version changes whenever rows arrive, so readers of row() re-render. */
  private version = $state(0);
  private rows = new Map<number, T>();
  private done = new Set<number>();
  private inflight = new Set<number>();
  private generation = 0;

  constructor(
    private fetchPage: FetchPage<T>,
    readonly pageSize = 200,
  ) {}

  /** row returns the row at index, or undefined while its page is loading. */
  row(index: number): T | undefined {
    void this.version;
    return this.rows.get(index);
  }

  /** isLoaded reports whether the row at index has arrived. */
  isLoaded(index: number): boolean {
    void this.version;
    return this.rows.has(index);
  }

  /** reset forgets every row (the filter changed) and loads the first page. */
  reset(): Promise<void> {
    this.generation++;
    this.rows = new Map();
    this.done.clear();
    this.inflight.clear();
    this.error = '';
    this.epoch++;
    this.version++;
    return this.load(0, true);
  }

  /** ensure loads every page that holds a row between start and end (inclusive). */
  ensure(start: number, end: number): Promise<void> {
    const last = this.loaded ? Math.min(end, this.total - 1) : end;
    const waits: Promise<void>[] = [];
    for (let p = Math.floor(Math.max(start, 0) / this.pageSize); p <= Math.floor(last / this.pageSize); p++) {
      if (!this.done.has(p) && !this.inflight.has(p)) waits.push(this.load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  private async load(page: number, first = false): Promise<void> {
    const gen = this.generation;
    this.inflight.add(page);
    try {
      const res = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (gen !== this.generation) return; // an answer for a list that is gone
      if (first) this.rows = new Map();
      res.rows.forEach((r, i) => this.rows.set(page * this.pageSize + i, r));
      this.done.add(page);
      this.total = res.total;
      this.loaded = true;
      this.version++;
    } catch (e) {
      if (gen === this.generation) {
        this.error = errorMessage(e);
        this.loaded = true;
      }
    } finally {
      if (gen === this.generation) this.inflight.delete(page);
    }
  }
}
