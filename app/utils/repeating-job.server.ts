/**
 * Runs `work` once after `firstDelayMs`, then every `intervalMs`, never two at
 * once; a failure is logged under `name` and the next turn runs as usual. The
 * timers never keep the process alive. Returns a stop function.
 */
export function startRepeatingJob(name: string, work: () => Promise<void>, firstDelayMs: number, intervalMs: number): () => void {
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      await work();
    } catch (error) {
      console.error(`${name} failed:`, error);
    } finally {
      isRunning = false;
    }
  };
  const first = setTimeout(tick, firstDelayMs);
  first.unref();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
