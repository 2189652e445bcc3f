// Coalesces bursts of calls (events streaming in, status changes) into one run, so a view or the status bar redraws
// at most once per interval instead of once per event.

export interface Debounced {
  /** Asks for a run; calls within the interval join the one already scheduled. */
  (): void;
  /** Runs now if a run is pending. */
  flush(): void;
  /** Drops a pending run; later calls schedule again. */
  cancel(): void;
}

/**
 * `run` goes once, `ms` after the first call of a burst. Later calls in the burst do not push it back (unlike a
 * resetting debounce), so a steady stream of events still redraws every `ms`.
 */
export function debounce(run: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = (): void => {
    timer = undefined;
    run();
  };
  const schedule = (() => {
    timer ??= setTimeout(fire, ms);
  }) as Debounced;
  schedule.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    fire();
  };
  schedule.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return schedule;
}
