import type { DB } from "../../db/client";
import { getProjectorView } from "~/models/public-meeting.server";

/**
 * Live updates for the projector (docs/decisions/0047): a small
 * publish/subscribe inside this process. Each meeting with someone watching
 * has one channel; the channel reads the projector's picture once per change
 * and hands the same JSON text to every watcher, so 300 screens cost one
 * query, not 300.
 *
 * A change made in this process is published within THROTTLE_MS (publishMeetingChange).
 * A change made by another server process (a cluster, docs/decisions/0033)
 * is noticed by a cheap check of the meeting's version number every
 * POLL_MS while someone watches. Several app servers on separate machines
 * would use Postgres LISTEN/NOTIFY instead (issue 14).
 */
export const POLL_MS = 400;

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
}

const channels = new Map<string, Channel>();

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
    if (row && row.version !== channel.lastVersion) publishMeetingChange(meetingId);
  } catch {
    // As above: the next poll tries again.
  }
}

/** Watches a meeting: the listener gets the projector's picture as JSON after every change (the caller sends the first one). Returns the way to stop. */
export function subscribeToMeeting(db: DB, meetingId: string, listener: Listener): () => void {
  let channel = channels.get(meetingId);
  if (!channel) {
    channel = { db, listeners: new Set(), lastJson: "", lastVersion: -1, isReading: false, isStale: false, timer: null, lastReadAt: 0, pending: null };
    channels.set(meetingId, channel);
    const c = channel;
    c.timer = setInterval(() => void poll(meetingId, c), POLL_MS);
    c.timer.unref?.();
  }
  channel.listeners.add(listener);
  const c = channel;
  return () => {
    c.listeners.delete(listener);
    if (c.listeners.size === 0) {
      if (c.timer) clearInterval(c.timer);
      if (c.pending) clearTimeout(c.pending);
      channels.delete(meetingId);
    }
  };
}

/** Tells this process's watchers of a meeting that it changed (call after the change is committed). */
export function publishMeetingChange(meetingId: string): void {
  const channel = channels.get(meetingId);
  if (!channel || channel.pending) return;
  const wait = Math.max(0, channel.lastReadAt + THROTTLE_MS - Date.now());
  channel.pending = setTimeout(() => {
    channel.pending = null;
    void refresh(meetingId, channel);
  }, wait);
}

/** How many watchers this process holds, for the benchmark and health checks. */
export const watcherCount = (): number => [...channels.values()].reduce((n, c) => n + c.listeners.size, 0);
