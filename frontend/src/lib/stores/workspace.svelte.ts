// What the window knows about the open workspace and the fixed choices of its forms.
import { workspaceApi } from '../api/workspace';
import { errorMessage } from '../api/errors';
import type { Choices, WorkspaceInfo } from '../api/types';

const defaultChoices: Choices = {
  statuses: ['active', 'paused', 'alumni'],
  kinds: ['mastermind', 'group_coaching', 'micro_community', 'course_cohort', 'community_of_practice', 'one_to_one', 'other'],
  kindAdvice: {},
  importFields: [],
  digestDefaults: {},
  digestNoteMax: 2000,
  deliveryModes: ['individual', 'digest', 'none'],
};

class WorkspaceStore {
  info = $state<WorkspaceInfo | null>(null);
  choices = $state<Choices>(defaultChoices);
  error = $state('');

  async load(): Promise<void> {
    try {
      const [info, choices] = await Promise.all([workspaceApi.info(), workspaceApi.choices()]);
      this.info = info;
      this.choices = choices;
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** empty is true for a workspace with no clients and no cohorts yet: the welcome shows. */
  get empty(): boolean {
    return !!this.info && this.info.clients === 0 && this.info.cohorts === 0;
  }

  /** demo is true in the demo workspace, a separate file of made-up data. */
  get demo(): boolean {
    return this.info?.demo ?? false;
  }

  /** refresh updates the counts after clients or cohorts changed. */
  async refresh(): Promise<void> {
    try {
      this.info = await workspaceApi.info();
    } catch {
      // the counts are a nicety; the next refresh will try again
    }
  }
}

/** fileName is the last part of a path, for showing a workspace briefly. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export const workspace = new WorkspaceStore();
