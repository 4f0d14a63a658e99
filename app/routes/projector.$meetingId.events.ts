import type { LoaderFunctionArgs } from "@remix-run/node";
import { getProjectorView, getPublicMeeting } from "~/models/public-meeting.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/http.server";
import { subscribeToMeeting } from "~/utils/meeting-live.server";

/** A comment line now and then, so proxies do not close a quiet connection. */
const KEEP_ALIVE_MS = 25_000;

/**
 * The projector's live feed (docs/decisions/0047): server-sent events, one
 * "view" event with the projector's picture now and after every change. The
 * picture holds turnout, never a count, until a question closes.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const meeting = await getPublicMeeting(db, params.meetingId ?? "");
  if (!meeting || !meeting.isFundPublished) throw notFound();
  const first = await getProjectorView(db, meeting.id);
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const unsubscribe = subscribeToMeeting(db, meeting.id, (json) => send(`event: view\ndata: ${json}\n\n`));
      const keepAlive = setInterval(() => send(": still here\n\n"), KEEP_ALIVE_MS);
      stop = () => {
        unsubscribe();
        clearInterval(keepAlive);
      };
      send(`retry: 2000\nevent: view\ndata: ${JSON.stringify(first)}\n\n`);
      request.signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      });
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}
