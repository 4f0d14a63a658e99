import { afterEach, describe, expect, it, vi } from "vitest";
import { startRepeatingJob } from "~/utils/repeating-job.server";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the server's repeating jobs (retention purge, audit chain check)", () => {
  it("runs after the first delay and then every interval, never two turns at once, and stops when asked", async () => {
    vi.useFakeTimers();
    let runs = 0;
    let finish: () => void = () => {};
    const stop = startRepeatingJob("Test job", () => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))), 1000, 5000);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000); // the first turn is still running: no second one starts
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
    finish();
    stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs).toBe(2);
  });

  it("logs a failed turn under the job's name and runs the next one as usual", async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let runs = 0;
    const stop = startRepeatingJob(
      "Test job",
      async () => {
        runs += 1;
        if (runs === 1) throw new Error("disk full");
      },
      10,
      100,
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toHaveBeenCalledWith("Test job failed:", expect.any(Error));
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    stop();
  });

  it("with a leader check, runs a turn only while this process leads, and logs a check that fails", async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const answers: (boolean | Error)[] = [false, true, new Error("connection refused"), true];
    let runs = 0;
    const stop = startRepeatingJob(
      "Test job",
      async () => {
        runs += 1;
      },
      10,
      100,
      async () => {
        const answer = answers.shift() ?? false;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    );
    await vi.advanceTimersByTimeAsync(10); // not the leader: skipped
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(100); // the leader: runs
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(100); // the check fails: skipped, logged under the job's name
    expect(runs).toBe(1);
    expect(errors).toHaveBeenCalledWith("Test job failed:", expect.objectContaining({ message: "connection refused" }));
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    stop();
  });
});
