/** Whether this process should run the scheduled jobs now (db/leader.ts: the one leader among several servers). */
export type LeaderCheck = () => Promise<boolean>;

/**
 * Runs `work` once after `firstDelayMs`, then every `intervalMs`, never two at
 * once; a failure is logged under `name` and the next turn runs as usual. With
 * `isLeader`, a turn runs only while it says this process leads, so with
 * several servers the job runs on one (docs/decisions/0052). The timers never
 * keep the process alive. Returns a stop function.
 */
export function startRepeatingJob(name: string, work: () => Promise<void>, firstDelayMs: number, intervalMs: number, isLeader?: LeaderCheck): () => void {
  let isRunning = false;
  const tick = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      if (isLeader && !(await isLeader())) return;
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
