import { sql, type QueryExecutorProvider } from "kysely";
import pg from "pg";
import { isPostgres } from "./dialect";

/**
 * Notifications between app servers (issue 14, docs/decisions/0053): on
 * PostgreSQL, `notify` sends pg_notify and `listen` hears it on one dedicated
 * connection per database handle (so one per server process), outside the
 * query pool. On SQLite there is no such thing: `notify` does nothing,
 * `listen` never calls back, and `hasNotifications` says so, so callers keep
 * polling.
 */

/** PostgreSQL refuses a payload of 8000 bytes or more (the default build). */
export const MAX_PAYLOAD_BYTES = 7999;

/** The first wait before reconnecting a lost listening connection; it doubles up to RECONNECT_MAX_MS while the database stays away. */
export const RECONNECT_MS = 500;
const RECONNECT_MAX_MS = 30_000;

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Handler = (payload: string) => void;

interface Subscription {
  channel: string;
  onNotification: Handler;
  /** Called whenever the connection is (re)established: anything sent while it was down was missed. */
  onListening?: () => void;
}

/** Where each PostgreSQL handle's listening connection goes; createDb records it. */
const urls = new WeakMap<object, string>();
const listeners = new WeakMap<object, Listener>();

/** Makes `db` able to listen, through its own connection to `url` (createDb calls this for every PostgreSQL handle). */
export function enableListening(db: object, url: string): void {
  urls.set(db, url);
}

/** True when notifications reach other servers (PostgreSQL); false on SQLite, where watchers must poll. */
export function hasNotifications(db: object): boolean {
  return urls.has(db);
}

/**
 * Sends `payload` to every listener of `channel`, on every server. Inside a
 * transaction PostgreSQL delivers it at commit, and never if the transaction
 * rolls back; identical notifications in one transaction arrive once.
 * Nothing on SQLite.
 */
export async function notify(db: QueryExecutorProvider, channel: string, payload: string): Promise<void> {
  if (!isPostgres(db)) return;
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Not a notification channel name: ${channel}`);
  if (Buffer.byteLength(payload, "utf8") > MAX_PAYLOAD_BYTES) throw new Error(`A notification payload must be under 8000 bytes (${channel})`);
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

/**
 * Calls `onNotification` with the payload of every notification on `channel`,
 * from any server, until the returned function is called. The first listener
 * of a handle opens its listening connection; the last one to stop closes it.
 * `onListening` runs each time the connection starts listening, including
 * after a reconnect, when notifications sent in between were lost. On SQLite
 * nothing is opened and nothing is ever called.
 */
export function listen(db: object, channel: string, onNotification: Handler, onListening?: () => void): () => void {
  const url = urls.get(db);
  if (!url) return () => undefined;
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Not a notification channel name: ${channel}`);
  let listener = listeners.get(db);
  if (!listener) {
    listener = new Listener(url);
    listeners.set(db, listener);
  }
  const subscription: Subscription = { channel, onNotification, onListening };
  listener.add(subscription);
  const l = listener;
  return () => l.remove(subscription);
}

/** The server process id of the handle's listening connection while it listens, else null (for health checks and tests). */
export function listeningPid(db: object): number | null {
  return listeners.get(db)?.pid ?? null;
}

/** Closes the handle's listening connection for good (the handle is being destroyed). */
export async function stopListening(db: object): Promise<void> {
  const listener = listeners.get(db);
  listeners.delete(db);
  urls.delete(db);
  await listener?.close();
}

class Listener {
  pid: number | null = null;
  #client: pg.Client | null = null;
  #subscriptions = new Set<Subscription>();
  #retry: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #closed = false;

  constructor(private readonly url: string) {}

  add(subscription: Subscription): void {
    const isNewChannel = !this.#listensTo(subscription.channel);
    this.#subscriptions.add(subscription);
    if (this.#closed) return;
    if (!this.#client && !this.#retry) void this.#connect();
    else if (this.pid !== null && isNewChannel) void this.#client?.query(`listen ${pg.escapeIdentifier(subscription.channel)}`).catch(() => undefined);
  }

  remove(subscription: Subscription): void {
    if (!this.#subscriptions.delete(subscription)) return;
    if (this.#subscriptions.size === 0) void this.#disconnect();
    else if (this.pid !== null && !this.#listensTo(subscription.channel)) {
      void this.#client?.query(`unlisten ${pg.escapeIdentifier(subscription.channel)}`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscriptions.clear();
    await this.#disconnect();
  }

  #listensTo(channel: string): boolean {
    for (const s of this.#subscriptions) if (s.channel === channel) return true;
    return false;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "portal live updates" });
    this.#client = client;
    client.on("notification", (message) => {
      for (const s of [...this.#subscriptions]) if (s.channel === message.channel) s.onNotification(message.payload ?? "");
    });
    // A terminated backend, a restarted database or a broken network: start again after a pause.
    client.on("error", () => this.#lost(client));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
      // Every channel subscribed by the end of this loop (a Set's loop sees entries added meanwhile); add() listens to later ones.
      const listened = new Set<string>();
      for (const s of this.#subscriptions) {
        if (listened.has(s.channel)) continue;
        listened.add(s.channel);
        await client.query(`listen ${pg.escapeIdentifier(s.channel)}`);
      }
      if (this.#client !== client) return; // Closed while connecting.
      this.pid = rows[0]?.pid ?? null;
      this.#failures = 0;
      for (const s of [...this.#subscriptions]) s.onListening?.();
    } catch {
      this.#lost(client);
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.pid = null;
    client.end().catch(() => undefined);
    if (this.#closed || this.#subscriptions.size === 0) return;
    const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_MS * 2 ** this.#failures++);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (!this.#closed && this.#subscriptions.size > 0 && !this.#client) void this.#connect();
    }, wait);
    this.#retry.unref?.();
  }

  #disconnect(): Promise<void> {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const client = this.#client;
    this.#client = null;
    this.pid = null;
    return client ? client.end().catch(() => undefined) : Promise.resolve();
  }
}
