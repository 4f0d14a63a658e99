import pg from "pg";
import { isPostgresUrl, JOB_LEADER_LOCK } from "./dialect";

/**
 * Which server runs the scheduled jobs (the retention purge, the full audit
 * check), so that with several app servers on one database each job runs
 * once, not once per server (issue 14, docs/decisions/0052).
 */
export interface JobLeader {
  /**
   * True if this process leads now. A process that does not lead tries to
   * take the lead on each call, so when the leader dies another takes over at
   * its next call. Rejects if the database cannot be reached.
   */
  isLeader(): Promise<boolean>;
  /** Lets go of the lead (and its connection). */
  stop(): Promise<void>;
}

/**
 * SQLite: always the leader. One SQLite file serves one machine, and in a
 * cluster only the first process runs jobs at all (PORTAL_RUNS_JOBS,
 * docs/decisions/0033), so nothing changes there.
 *
 * PostgreSQL: the leader is the process holding a session-level advisory lock
 * (pg_try_advisory_lock on JOB_LEADER_LOCK and a hash of the schema's name) on
 * a connection of its own, outside the pool, kept open while it leads. When the
 * process dies or its connection drops, PostgreSQL ends the session and with it
 * the lock; the next server to try takes it. The connection never keeps the
 * process alive (it is unref'd).
 */
export function createJobLeader(databaseTarget: string | undefined): JobLeader {
  if (!isPostgresUrl(databaseTarget)) return { isLeader: async () => true, stop: async () => undefined };
  return new PostgresJobLeader(databaseTarget);
}

class PostgresJobLeader implements JobLeader {
  #client: pg.Client | null = null;
  #isLeading = false;
  #isStopped = false;
  /** One question at a time: two jobs may ask at once. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: string) {}

  isLeader = (): Promise<boolean> => {
    const answer = this.#queue.then(() => this.#ask());
    this.#queue = answer.catch(() => undefined);
    return answer;
  };

  stop = async (): Promise<void> => {
    this.#isStopped = true;
    await this.#queue;
    await this.#drop();
  };

  async #ask(): Promise<boolean> {
    if (this.#isStopped) return false;
    if (this.#client && this.#isLeading) {
      try {
        // The lock lives as long as the session: a live connection means it is still held.
        await this.#query(this.#client, "select 1");
        return true;
      } catch {
        // The connection died, and the lock with it: start again below, as a server that does not lead.
        await this.#drop();
      }
    }
    try {
      const client = this.#client ?? (await this.#connect());
      const { rows } = await this.#query<{ ok: boolean }>(client, "select pg_try_advisory_lock($1::int, hashtext(coalesce(current_schema(), ''))) as ok", [
        JOB_LEADER_LOCK,
      ]);
      this.#isLeading = rows[0]?.ok === true;
      return this.#isLeading;
    } catch (error) {
      await this.#drop();
      throw error;
    }
  }

  /** The connection keeps the process alive only while a question is on it: idle, it is unref'd. */
  async #query<R extends pg.QueryResultRow>(client: pg.Client, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const socket = client as unknown as { ref?: () => void; unref?: () => void };
    socket.ref?.();
    try {
      return await client.query<R>(text, values);
    } finally {
      socket.unref?.();
    }
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, application_name: "grant-portal job leader" });
    // A dropped connection (the database restarted, the network broke) ends the lead; the next call connects again.
    const lost = () => {
      if (this.#client === client) {
        this.#client = null;
        this.#isLeading = false;
      }
    };
    client.on("error", () => {
      lost();
      client.end().catch(() => undefined);
    });
    client.on("end", lost);
    await client.connect();
    (client as unknown as { unref?: () => void }).unref?.();
    this.#client = client;
    return client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#isLeading = false;
    await client?.end().catch(() => undefined);
  }
}
