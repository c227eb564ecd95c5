// The screen the window opens on gets Go's first answers. At the start, Wails
// hands each answer to the page as a script run on GTK's main thread, one
// after another, while WebKit is still busy starting: every answer queued
// ahead of the screen's own data delayed its first paint. The calls that feed
// only the sidebar's badges and the status lines therefore run once the
// screen has its data, or after maxWaitMs at most, so a screen that never says
// so (one opened by a link) holds them no longer than that. Measured: the
// clients list painted about 50 ms sooner (8–126 ms over seven rounds;
// docs/benchmarks.md, session 10).

let shown: () => void = () => {};
const ready = new Promise<void>((resolve) => (shown = resolve));

/** firstScreenShown is what a view calls once its first data is in; later calls do nothing. */
export function firstScreenShown(): void {
  shown();
}

/**
 * afterFirstScreen runs fn once the first screen has its data, or after
 * maxWaitMs, whichever comes first. The function it returns cancels fn if it
 * has not run yet.
 */
export function afterFirstScreen(fn: () => void, maxWaitMs = 400): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    fn();
  };
  const timer = setTimeout(run, maxWaitMs);
  void ready.then(run);
  return () => {
    done = true;
    clearTimeout(timer);
  };
}
