// The home screen: what happens this week, what waits for the coach, who has
// gone quiet and how each cohort is doing. Read whole from HomeService.Get,
// again when a sync brought replies in, and when the coach changes a cohort's
// quiet days.
import { homeApi } from '../api/home';
import { errorMessage } from '../api/errors';
import type { Home } from '../api/types';
import { toasts } from './toasts.svelte';

export class HomeStore {
  home = $state<Home | null>(null);
  error = $state('');
  loading = $state(false);
  private seq = 0;

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const h = await homeApi.get();
      if (seq !== this.seq) return;
      this.home = h;
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** setQuietDays changes after how many silent days a cohort's members show here (0: the kind's default). */
  async setQuietDays(cohortId: number, days: number): Promise<boolean> {
    try {
      await homeApi.setQuietDays(cohortId, days);
    } catch (e) {
      toasts.error(e);
      return false;
    }
    await this.load();
    return true;
  }
}

export const home = new HomeStore();
