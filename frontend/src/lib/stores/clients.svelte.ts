// The clients area: the list's filter, its rows (paged), the selection and the
// bulk actions on it.
import { clientsApi } from '../api/clients';
import { cohortsApi } from '../api/cohorts';
import { errorMessage } from '../api/errors';
import type { ClientFilter, ClientInput, ClientRow, Client, Cohort, ClientDetail } from '../api/types';
import { PageLoader } from '../pager.svelte';
import { Selection } from '../selection.svelte';
import { debounce } from '../debounce';
import { plural } from '../format';
import { toasts } from './toasts.svelte';
import { workspace } from './workspace.svelte';

export type SortKey = 'name' | 'email' | 'created' | 'updated';

export class ClientsStore {
  query = $state('');
  tags = $state<string[]>([]);
  status = $state('');
  sort = $state<SortKey>('name');
  desc = $state(false);
  archived = $state(false);
  allTags = $state<string[]>([]);
  detail = $state<ClientDetail | null>(null);
  detailError = $state('');
  /** formOpen shows the client form; formClient is the client edited, null for a new one. */
  formOpen = $state(false);
  formClient = $state<Client | null>(null);

  readonly loader: PageLoader<ClientRow>;
  readonly selection = new Selection();
  private debouncedRefresh = debounce(() => void this.refresh(), 120);

  constructor(pageSize = 200) {
    this.loader = new PageLoader<ClientRow>((offset, limit) => clientsApi.list({ ...this.filter(), offset, limit }), pageSize);
  }

  /** filter is the list's filter without paging. */
  filter(): ClientFilter {
    return {
      query: this.query.trim(),
      tags: [...this.tags],
      status: this.status,
      cohortId: 0,
      archived: this.archived,
      sort: this.sort,
      desc: this.desc,
      offset: 0,
      limit: 0,
    };
  }

  /** filtered reports whether anything narrows the list, for the empty state. */
  get filtered(): boolean {
    return this.query.trim() !== '' || this.tags.length > 0 || this.status !== '';
  }

  /** refresh reloads the list from its first page; the selection is cleared. */
  refresh(): Promise<void> {
    this.debouncedRefresh.cancel();
    this.selection.clear();
    return this.loader.reset();
  }

  /** setQuery changes the search words; the list follows after a short pause. */
  setQuery(q: string): void {
    this.query = q;
    this.debouncedRefresh();
  }

  setTags(tags: string[]): void {
    this.tags = tags;
    void this.refresh();
  }

  setStatus(status: string): void {
    this.status = status;
    void this.refresh();
  }

  setSort(sort: SortKey, desc: boolean): void {
    this.sort = sort;
    this.desc = desc;
    void this.refresh();
  }

  setArchived(archived: boolean): void {
    this.archived = archived;
    void this.refresh();
  }

  async loadTags(): Promise<void> {
    try {
      this.allTags = await clientsApi.tags();
      this.tags = this.tags.filter((t) => this.allTags.includes(t));
    } catch (e) {
      toasts.error(e);
    }
  }

  /** selectAll selects every client the filter matches, loaded or not. */
  async selectAll(): Promise<void> {
    try {
      this.selection.selectAll(await clientsApi.ids(this.filter()));
    } catch (e) {
      toasts.error(e);
    }
  }

  /** toggleRow is a click on a row's checkbox; with shift it selects a range. */
  async toggleRow(index: number, id: number, shift: boolean): Promise<void> {
    if (!shift) return this.selection.toggle(index, id);
    try {
      await this.selection.extendTo(index, (i) => this.loader.row(i)?.id, () => clientsApi.ids(this.filter()));
    } catch (e) {
      toasts.error(e);
    }
  }

  /** addSelectedToCohort puts the selected clients into a cohort. */
  async addSelectedToCohort(cohort: Cohort): Promise<boolean> {
    const ids = [...this.selection.ids];
    try {
      const added = await cohortsApi.addMembers(cohort.id, ids, 'member');
      const already = ids.length - added;
      toasts.show(`Added ${added} to ${cohort.name}` + (already > 0 ? ` (${already} already there)` : ''));
      await this.refresh();
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  /** archiveSelected archives the selected clients, with Undo in the toast. */
  async archiveSelected(): Promise<void> {
    const ids = [...this.selection.ids];
    try {
      await clientsApi.archive(ids);
    } catch (e) {
      toasts.error(e);
      await this.refresh();
      return;
    }
    await this.refresh();
    void workspace.refresh();
    toasts.show(`Archived ${plural(ids.length, 'client')}`, {
      label: 'Undo',
      run: async () => {
        try {
          await clientsApi.restore(ids);
          toasts.show(`Restored ${plural(ids.length, 'client')}`);
          await this.refresh();
          void workspace.refresh();
        } catch (e) {
          toasts.error(e);
        }
      },
    });
  }

  /** restoreSelected brings the selected archived clients back. */
  async restoreSelected(): Promise<void> {
    const ids = [...this.selection.ids];
    try {
      await clientsApi.restore(ids);
      toasts.show(`Restored ${plural(ids.length, 'client')}`);
    } catch (e) {
      toasts.error(e);
    }
    await this.refresh();
    void workspace.refresh();
  }

  /** edit opens the client form, for a new client when c is null. */
  edit(c: Client | null): void {
    this.formClient = c;
    this.formOpen = true;
  }

  /** open loads one client for the detail page. */
  async open(id: number): Promise<void> {
    this.detailError = '';
    if (this.detail?.client.id !== id) this.detail = null;
    try {
      this.detail = await clientsApi.get(id);
    } catch (e) {
      this.detailError = errorMessage(e);
    }
  }

  /**
   * decideBounce settles the suspected delivery report on the detail page:
   * confirmed, mail to the address stops; dismissed, nothing changes.
   */
  async decideBounce(clientId: number, bounceId: number, confirmed: boolean): Promise<void> {
    try {
      if (confirmed) await clientsApi.confirmBounce(bounceId);
      else await clientsApi.dismissBounce(bounceId);
      toasts.show(confirmed ? 'Nothing more is sent to this address.' : 'Delivery report dismissed; mail goes on as before.');
    } catch (e) {
      toasts.error(e);
    }
    await this.open(clientId);
  }

  /** resubscribe mails the client on the detail page again (or keeps mailing them despite a pending request). */
  async resubscribe(clientId: number): Promise<void> {
    try {
      await clientsApi.resubscribe(clientId);
      toasts.show('They get your mail again.');
    } catch (e) {
      toasts.error(e);
    }
    await this.open(clientId);
    void this.refresh();
  }

  /** save creates (id 0) or updates a client; it throws the coach's sentence for the form. */
  async save(id: number, input: ClientInput): Promise<Client> {
    const c = id ? await clientsApi.update(id, input) : await clientsApi.create(input);
    if (this.detail?.client.id === c.id) this.detail = { ...this.detail, client: c };
    void this.refresh();
    void this.loadTags();
    void workspace.refresh();
    return c;
  }

  /** setClientArchived archives or restores the client on the detail page. */
  async setClientArchived(id: number, archived: boolean): Promise<void> {
    try {
      if (archived) await clientsApi.archive([id]);
      else await clientsApi.restore([id]);
      toasts.show(archived ? 'Client archived' : 'Client restored', archived
        ? { label: 'Undo', run: () => this.setClientArchived(id, false) }
        : undefined);
      await this.open(id);
      void this.refresh();
      void workspace.refresh();
    } catch (e) {
      toasts.error(e);
    }
  }

  /** exportSelected writes the selected clients to a CSV file the coach chooses. */
  async exportSelected(): Promise<void> {
    try {
      const ids = [...this.selection.ids];
      const path = await clientsApi.exportSelected(ids);
      if (path) toasts.show(`Exported ${plural(ids.length, 'client')} to ${path}`);
    } catch (e) {
      toasts.error(e);
    }
  }

  async exportCsv(): Promise<void> {
    try {
      const path = await clientsApi.export();
      if (path) toasts.show(`Exported clients to ${path}`);
    } catch (e) {
      toasts.error(e);
    }
  }
}

export const clients = new ClientsStore();
