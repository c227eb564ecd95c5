import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Each test gets the module afresh: "shown" happens once per window.
async function fresh() {
  vi.resetModules();
  return import('./firstscreen');
}

describe('afterFirstScreen', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for the first screen to have its data', async () => {
    const { afterFirstScreen, firstScreenShown } = await fresh();
    const fn = vi.fn();
    afterFirstScreen(fn, 400);
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).not.toHaveBeenCalled();
    firstScreenShown();
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(1); // the cap does not run it again
  });

  it('runs after the longest wait when no screen says so', async () => {
    const { afterFirstScreen } = await fresh();
    const fn = vi.fn();
    afterFirstScreen(fn, 400);
    await vi.advanceTimersByTimeAsync(399);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('runs at once, in a microtask, once the screen was shown already', async () => {
    const { afterFirstScreen, firstScreenShown } = await fresh();
    firstScreenShown();
    const fn = vi.fn();
    afterFirstScreen(fn, 400);
    await Promise.resolve();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled before it runs (the window closing)', async () => {
    const { afterFirstScreen, firstScreenShown } = await fresh();
    const fn = vi.fn();
    const cancel = afterFirstScreen(fn, 400);
    cancel();
    firstScreenShown();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
