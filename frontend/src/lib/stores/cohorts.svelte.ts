// The cohorts area: the list, the open cohort and its roster.
import { cohortsApi } from '../api/cohorts';
import { digestsApi } from '../api/digests';
import { errorMessage } from '../api/errors';
import type { Cohort, CohortInput, DeliveryMode, Member, Role } from '../api/types';
import { deliveryLabel } from '../digest';
import { plural } from '../format';
import type { ReplySharing } from '../trust';
import { toasts } from './toasts.svelte';
import { workspace } from './workspace.svelte';

export class CohortsStore {
  list = $state<Cohort[]>([]);
  archived = $state(false);
  loaded = $state(false);
  error = $state('');

  current = $state<Cohort | null>(null);
  roster = $state<Member[]>([]);
  showPast = $state(false);
  currentError = $state('');

  async load(): Promise<void> {
    try {
      this.list = await cohortsApi.list(this.archived);
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  setArchived(archived: boolean): void {
    this.archived = archived;
    void this.load();
  }

  /** current cohorts for menus ("Add to cohort…"), whatever the list shows. */
  async active(): Promise<Cohort[]> {
    return cohortsApi.list(false);
  }

  async open(id: number): Promise<void> {
    this.currentError = '';
    if (this.current?.id !== id) {
      this.current = null;
      this.roster = [];
      this.showPast = false;
    }
    try {
      const [c, roster] = await Promise.all([cohortsApi.get(id), cohortsApi.roster(id, this.showPast)]);
      this.current = c;
      this.roster = roster;
    } catch (e) {
      this.currentError = errorMessage(e);
    }
  }

  private async reopen(): Promise<void> {
    if (this.current) await this.open(this.current.id);
    void this.load();
    void workspace.refresh();
  }

  setShowPast(show: boolean): void {
    this.showPast = show;
    void this.reopen();
  }

  /** save creates (id 0) or updates a cohort; it throws the coach's sentence for the form. */
  async save(id: number, input: CohortInput): Promise<Cohort> {
    const c = id ? await cohortsApi.update(id, input) : await cohortsApi.create(input);
    if (this.current?.id === c.id) this.current = c;
    void this.load();
    void workspace.refresh();
    return c;
  }

  async setCohortArchived(c: Cohort, archived: boolean): Promise<void> {
    try {
      if (archived) await cohortsApi.archive(c.id);
      else await cohortsApi.restore(c.id);
      toasts.show(
        archived ? `Archived ${c.name}` : `Restored ${c.name}`,
        archived ? { label: 'Undo', run: () => this.setCohortArchived(c, false) } : undefined,
      );
      await this.reopen();
    } catch (e) {
      toasts.error(e);
    }
  }

  async addMembers(clientIds: number[]): Promise<boolean> {
    const c = this.current;
    if (!c || clientIds.length === 0) return false;
    try {
      const added = await cohortsApi.addMembers(c.id, clientIds, 'member');
      toasts.show(`Added ${added} to ${c.name}`);
      await this.reopen();
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  async removeMember(m: Member): Promise<void> {
    const c = this.current;
    if (!c) return;
    try {
      await cohortsApi.removeMember(c.id, m.clientId);
      toasts.show(`Removed ${m.name || m.email} from ${c.name}`);
      await this.reopen();
    } catch (e) {
      toasts.error(e);
    }
  }

  /** setReplySharing chooses which members' replies the open cohort's members see without the coach's approval. */
  async setReplySharing(sharing: ReplySharing): Promise<void> {
    const c = this.current;
    if (!c) return;
    try {
      await cohortsApi.setReplySharing(c.id, sharing);
      if (this.current?.id === c.id) this.current = { ...this.current, replySharing: sharing };
      toasts.show(sharing === 'verified' ? `${c.name}: members see only replies from verified senders.` : `${c.name}: members see replies from each other’s own addresses.`);
    } catch (e) {
      toasts.error(e);
    }
  }

  /**
   * setDelivery sets how members of the open cohort get its mail: every post,
   * the digest only, or nothing for now. It returns whether it was saved.
   */
  async setDelivery(members: Member[], mode: DeliveryMode): Promise<boolean> {
    const c = this.current;
    if (!c || members.length === 0) return false;
    try {
      const n = await digestsApi.setDelivery(c.id, members.map((m) => m.clientId), mode);
      const who = members.length === 1 ? members[0].name || members[0].email : plural(n, 'member');
      toasts.show(`${who}: ${deliveryLabel(mode).toLowerCase()}.`);
      const ids = new Set(members.map((m) => m.clientId));
      this.roster = this.roster.map((m) => (ids.has(m.clientId) && !m.leftAt ? { ...m, delivery: mode } : m));
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  async setRole(m: Member, role: Role): Promise<void> {
    const c = this.current;
    if (!c) return;
    try {
      await cohortsApi.setRole(c.id, m.clientId, role);
      toasts.show(role === 'co_host' ? `${m.name || m.email} is now a co-host` : `${m.name || m.email} is now a member`);
      await this.reopen();
    } catch (e) {
      toasts.error(e);
    }
  }
}

/** capacityText is "3 of 12 members", or "3 members" with no limit. */
export function capacityText(members: number, capacity: number): string {
  return capacity > 0 ? `${members.toLocaleString()} of ${plural(capacity, 'member')}` : plural(members, 'member');
}

export const cohorts = new CohortsStore();
