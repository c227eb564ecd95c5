// Typed calls to SearchService (app/ui/search.go): the search palette (Ctrl+K).
import * as svc from '../../../wailsjs/go/ui/SearchService';
import type { SearchKind, SearchQuery, SearchResults } from './types';

// Go's nil slices arrive as null: the window always gets arrays.
function results(r: unknown): SearchResults {
  const v = (r ?? {}) as SearchResults;
  return { groups: (v.groups ?? []).map((g) => ({ ...g, hits: (g.hits ?? []).map((h) => ({ ...h, snippet: h.snippet ?? [] })) })) };
}

export const searchApi = {
  /** search finds what the text says in every kind; any text is safe (the Go side reads it as words). */
  search: (q: SearchQuery): Promise<SearchResults> => svc.Search(q as any).then(results),
  kinds: (): Promise<SearchKind[]> => svc.Kinds().then((ks) => ks ?? []),
};
