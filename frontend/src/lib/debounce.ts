/** debounce returns fn delayed until ms have passed without another call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

/**
 * throttle runs fn at once, then at most once every ms: calls in between are
 * folded into one more run at the end of the wait, so the last call is never lost.
 */
export function throttle(fn: () => void, ms: number): (() => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const call = () => {
    if (timer !== undefined) {
      pending = true;
      return;
    }
    fn();
    const wait = () => {
      timer = setTimeout(() => {
        if (pending) {
          pending = false;
          fn();
          wait();
        } else {
          timer = undefined;
        }
      }, ms);
    };
    wait();
  };
  call.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = false;
  };
  return call;
}
