// The lessons area: the library, and the open cohort's curriculum and
// progress grid (reloaded together: a change to one shows in the other).
import { contentApi } from '../api/content';
import { errorMessage } from '../api/errors';
import type { Curriculum, Lesson, ProgressGrid } from '../api/types';

export class ContentStore {
  lessons = $state<Lesson[]>([]);
  loaded = $state(false);
  error = $state('');

  cohortId = $state(0);
  curriculum = $state<Curriculum | null>(null);
  grid = $state<ProgressGrid | null>(null);
  cohortError = $state('');

  /** load reads the library. */
  async load(): Promise<void> {
    try {
      this.lessons = await contentApi.lessons();
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.loaded = true;
    }
  }

  /** openCohort reads a cohort's curriculum and grid (and the library, to add lessons from). */
  async openCohort(cohortId: number): Promise<void> {
    if (cohortId !== this.cohortId) {
      this.cohortId = cohortId;
      this.curriculum = null;
      this.grid = null;
    }
    try {
      const [c, g] = await Promise.all([contentApi.curriculum(cohortId), contentApi.progress(cohortId), this.load()]);
      if (cohortId !== this.cohortId) return;
      this.curriculum = c;
      this.grid = g;
      this.cohortError = '';
    } catch (e) {
      if (cohortId === this.cohortId) this.cohortError = errorMessage(e);
    }
  }

  /** refreshCohort reads the open cohort's curriculum and grid again. */
  async refreshCohort(): Promise<void> {
    if (this.cohortId) await this.openCohort(this.cohortId);
  }
}

export const content = new ContentStore();
