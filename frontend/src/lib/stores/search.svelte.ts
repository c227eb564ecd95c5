// The search palette (Ctrl+K): what is typed, the filters, the results as
// they come, and which hit the keyboard is on. Results arrive as the coach
// types (debounced); an answer to older text is dropped.
import { searchApi } from '../api/search';
import { errorMessage } from '../api/errors';
import type { SearchGroup, SearchHit, SearchKind } from '../api/types';
import { debounce } from '../debounce';
import { buildQuery, flatten, move, noFilters, ready, type SearchFilters } from '../search';

export class SearchStore {
  open = $state(false);
  text = $state('');
  filters = $state<SearchFilters>({ ...noFilters });
  /** memberName names the member filter's client, for its chip. */
  memberName = $state('');
  groups = $state<SearchGroup[]>([]);
  kinds = $state<SearchKind[]>([]);
  active = $state(-1);
  busy = $state(false);
  error = $state('');
  /** searched is the text the results are for ("" before any). */
  searched = $state('');

  hits = $derived(flatten(this.groups));
  private seq = 0;

  show(): void {
    this.open = true;
    if (!this.kinds.length) {
      searchApi
        .kinds()
        .then((ks) => (this.kinds = ks))
        .catch(() => {});
    }
  }

  /** run searches now for the text and filters on screen. */
  async run(): Promise<void> {
    const seq = ++this.seq;
    const text = this.text;
    if (!ready(text)) {
      this.groups = [];
      this.searched = '';
      this.active = -1;
      this.busy = false;
      return;
    }
    this.busy = true;
    try {
      const res = await searchApi.search(buildQuery(text, this.filters));
      if (seq !== this.seq) return;
      this.groups = res.groups;
      this.searched = text;
      this.error = '';
      this.active = this.hits.length ? 0 : -1;
    } catch (e) {
      if (seq !== this.seq) return;
      this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.busy = false;
    }
  }

  /** later searches after a pause in typing. */
  later = debounce(() => void this.run(), 120);

  setFilter<K extends keyof SearchFilters>(key: K, value: SearchFilters[K]): void {
    this.filters = { ...this.filters, [key]: value };
    void this.run();
  }

  /** onlyMember keeps what concerns one client (chosen from a hit). */
  onlyMember(clientId: number, name: string): void {
    this.memberName = clientId ? name : '';
    this.setFilter('clientId', clientId);
  }

  step(delta: number): void {
    this.active = move(this.active, delta, this.hits.length);
  }

  get current(): SearchHit | undefined {
    return this.hits[this.active];
  }
}

export const search = new SearchStore();
