import type { DB } from "../../db/client";
import { hasNotifications, listen, notify } from "../../db/notify";
import { getProjectorView } from "~/models/public-meeting.server";

/**
 * Live updates for the projector (docs/decisions/0047, 0053): a small
 * publish/subscribe inside this process. Each meeting with someone watching
 * has one channel; the channel reads the projector's picture once per change
 * and hands the same JSON text to every watcher, so 300 screens cost one
 * query, not 300.
 *
 * A change made in this process is published within THROTTLE_MS (publishMeetingChange).
 * A change made by another server is heard two ways. On PostgreSQL the
 * changing transaction sends a notification (announceMeetingChange), which
 * every server's one listening connection hears at commit (db/notify.ts);
 * the meeting's version number is still checked every `polling.backstopMs`
 * in case a notification was lost while that connection was down. On SQLite
 * (several processes on one file, docs/decisions/0033) there are no
 * notifications, so the version is checked every `polling.everyMs`.
 */
export const polling = {
  /** Without notifications (SQLite): a cheap check of the version while someone watches. */
  everyMs: 400,
  /** With notifications (PostgreSQL): only a backstop. Tests lengthen it to prove the notifications arrive by themselves. */
  backstopMs: 5_000,
};

/** The notification channel: its payload is a meeting id, never the picture (docs/decisions/0053). */
const CHANGES = "portal_meeting";

/**
 * The least time between two readings of a meeting's picture. 300 votes in a
 * few seconds would otherwise mean 300 readings, each sent to every screen,
 * all queued behind the one database connection the votes need too. A change
 * still reaches the screens within this (plus one reading).
 */
export const THROTTLE_MS = 250;

type Listener = (json: string) => void;

interface Channel {
  db: DB;
  listeners: Set<Listener>;
  lastJson: string;
  lastVersion: number;
  isReading: boolean;
  isStale: boolean;
  timer: ReturnType<typeof setInterval> | null;
  lastReadAt: number;
  pending: ReturnType<typeof setTimeout> | null;
  stopListening: () => void;
}

/**
 * The channels of each database handle. A server has one handle, so one map;
 * a test can open two handles to play two servers in one process, and a
 * change published through one then reaches the other only as a server
 * elsewhere would hear it.
 */
const hubs = new Map<DB, Map<string, Channel>>();

async function refresh(meetingId: string, channel: Channel): Promise<void> {
  if (channel.isReading) {
    channel.isStale = true;
    return;
  }
  channel.isReading = true;
  try {
    do {
      channel.isStale = false;
      channel.lastReadAt = Date.now();
      const view = await getProjectorView(channel.db, meetingId);
      if (!view) return;
      channel.lastVersion = view.version;
      const json = JSON.stringify(view);
      if (json !== channel.lastJson) {
        channel.lastJson = json;
        for (const listener of channel.listeners) listener(json);
      }
    } while (channel.isStale);
  } catch {
    // A failed read (a busy or closing database) is tried again at the next change or poll.
  } finally {
    channel.isReading = false;
  }
}

async function poll(meetingId: string, channel: Channel): Promise<void> {
  try {
    const row = await channel.db.selectFrom("public_meeting").select("version").where("id", "=", meetingId).executeTakeFirst();
    if (row && row.version !== channel.lastVersion) publishMeetingChange(channel.db, meetingId);
  } catch {
    // As above: the next poll tries again.
  }
}

/** Watches a meeting: the listener gets the projector's picture as JSON after every change (the caller sends the first one). Returns the way to stop. */
export function subscribeToMeeting(db: DB, meetingId: string, listener: Listener): () => void {
  let channels = hubs.get(db);
  if (!channels) {
    channels = new Map();
    hubs.set(db, channels);
  }
  let channel = channels.get(meetingId);
  if (!channel) {
    const c: Channel = {
      db,
      listeners: new Set(),
      lastJson: "",
      lastVersion: -1,
      isReading: false,
      isStale: false,
      timer: null,
      lastReadAt: 0,
      pending: null,
      stopListening: () => undefined,
    };
    channels.set(meetingId, c);
    c.timer = setInterval(() => void poll(meetingId, c), hasNotifications(db) ? polling.backstopMs : polling.everyMs);
    c.timer.unref?.();
    // Any server's change to this meeting; and, when the listening connection (re)starts, whatever was missed meanwhile.
    c.stopListening = listen(
      db,
      CHANGES,
      (changedId) => {
        if (changedId === meetingId) publishMeetingChange(db, meetingId);
      },
      () => publishMeetingChange(db, meetingId),
    );
    channel = c;
  }
  channel.listeners.add(listener);
  const c = channel;
  const hub = channels;
  return () => {
    c.listeners.delete(listener);
    if (c.listeners.size === 0 && hub.get(meetingId) === c) {
      if (c.timer) clearInterval(c.timer);
      if (c.pending) clearTimeout(c.pending);
      c.stopListening();
      hub.delete(meetingId);
      if (hub.size === 0) hubs.delete(db);
    }
  };
}

/**
 * Tells every server's watchers of a meeting that it is changing: call it
 * inside the transaction that changes what the projector shows (with the
 * version bump). On PostgreSQL the notification is delivered when the
 * transaction commits, and not at all if it rolls back; on SQLite it does
 * nothing (other processes poll the version).
 */
export async function announceMeetingChange(trx: DB, meetingId: string): Promise<void> {
  await notify(trx, CHANGES, meetingId);
}

/** Tells this process's watchers of a meeting that it changed (call after the change is committed). */
export function publishMeetingChange(db: DB, meetingId: string): void {
  const channel = hubs.get(db)?.get(meetingId);
  if (!channel || channel.pending) return;
  const wait = Math.max(0, channel.lastReadAt + THROTTLE_MS - Date.now());
  channel.pending = setTimeout(() => {
    channel.pending = null;
    void refresh(meetingId, channel);
  }, wait);
}

/** How many watchers this process holds, for the benchmark and health checks. */
export const watcherCount = (): number => [...hubs.values()].reduce((n, channels) => n + [...channels.values()].reduce((m, c) => m + c.listeners.size, 0), 0);
