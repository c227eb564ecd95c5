// The window's views that are not needed to start. Each is a chunk of script of
// its own, fetched the first time it is shown or in the background once the
// window has painted, so that a start parses only the frame and the views it
// can open on (home, clients, welcome: App imports those directly): the
// script read before the first paint went from 650 KB to 360 KB. The cohort
// form is fetched the same way, the first time it opens: its date picker and
// calendar (bits-ui's, with @internationalized/date) were a quarter of what
// was left (360 → 254 KB).
import type { Component } from 'svelte';

const loaders = {
  client: () => import('../views/ClientDetailView.svelte'),
  cohorts: () => import('../views/CohortsView.svelte'),
  cohort: () => import('../views/CohortView.svelte'),
  compose: () => import('../views/ComposeView.svelte'),
  outbox: () => import('../views/OutboxView.svelte'),
  sandbox: () => import('../views/SandboxView.svelte'),
  replies: () => import('../views/RepliesView.svelte'),
  unmatched: () => import('../views/UnmatchedView.svelte'),
  'mail-account': () => import('../views/MailAccountView.svelte'),
  profile: () => import('../views/ProfileView.svelte'),
  lessons: () => import('../views/LessonsView.svelte'),
  'cohort-form': () => import('../components/CohortForm.svelte'),
};

export type LazyView = keyof typeof loaders;
type ViewOf<K extends LazyView> = Awaited<ReturnType<(typeof loaders)[K]>>['default'];

/** isLazy reports whether a route's view is fetched on demand. */
export function isLazy(name: string): name is LazyView {
  return name in loaders;
}

class Views {
  private loaded = $state<Partial<Record<LazyView, Component<never>>>>({});
  private pending = new Map<LazyView, Promise<void>>();
  /** error is set when a view's script could not be read (a damaged install). */
  error = $state('');

  /**
   * get returns the view's component once its script has arrived, and until
   * then undefined (and starts fetching it): the caller shows nothing meanwhile,
   * which in practice is a few milliseconds, since the files are local.
   */
  get<K extends LazyView>(name: K): ViewOf<K> | undefined {
    const c = this.loaded[name];
    if (!c) void this.load(name);
    return c as ViewOf<K> | undefined;
  }

  /** ready reports whether a route's view can be shown now (always, for the views App holds). */
  ready(name: string): boolean {
    return !isLazy(name) || !!this.loaded[name];
  }

  /**
   * load fetches a view's script once. A failure is said (error) for a view
   * the coach opened; a background fetch (quiet) that fails is only tried
   * again when the view is opened.
   */
  load(name: LazyView, quiet = false): Promise<void> {
    let p = this.pending.get(name);
    if (!p) {
      p = loaders[name]().then(
        (m) => {
          this.loaded[name] = m.default as Component<never>;
        },
        (e) => {
          this.pending.delete(name); // a later visit tries again
          if (!quiet) this.error = `This part of the window could not be loaded (${e instanceof Error ? e.message : String(e)}). Reinstalling Roundtable mends it.`;
        },
      );
      this.pending.set(name, p);
    }
    return p;
  }

  /** preload fetches every view, one after another, so later visits never wait. */
  async preload(): Promise<void> {
    for (const name of Object.keys(loaders) as LazyView[]) await this.load(name, true);
  }
}

export const views = new Views();
