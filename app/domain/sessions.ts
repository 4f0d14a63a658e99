import { z } from "zod";

/**
 * A rough, human description of a browser from its User-Agent header
 * ("Firefox on Windows", "Safari on iPhone"), for the list of places someone
 * is signed in. Rough on purpose: it helps a person recognise their own
 * devices; it is not evidence of anything.
 */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").trim();
  if (!ua) return "Unknown device";
  const browser = browserOf(ua);
  const system = systemOf(ua);
  if (!browser && !system) return "Unknown device";
  if (!system) return browser!;
  if (!browser) return `A browser on ${system}`;
  return `${browser} on ${system}`;
}

// Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\b(Chrome|CriOS|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\b(curl|Wget)\//i, "A command-line tool"],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "Mac"],
  [/\bLinux\b/, "Linux"],
];

function browserOf(ua: string): string | null {
  return BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
}

function systemOf(ua: string): string | null {
  return SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
}

/** Made once, not per call (building one costs far more than formatting with it). */
const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

/** "1 December 2026, 14:05" (UK time) from an ISO timestamp. */
export function formatDateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

/** The forms on "Where you are signed in": sign one session out, all the others, or all of them. */
export const SessionActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("end"),
      sessionId: z.string({ required_error: "Choose a session to sign out" }).trim().min(1, "Choose a session to sign out").max(128),
    }),
    z.object({ intent: z.literal("end-others") }),
    z.object({ intent: z.literal("end-all") }),
  ],
  { errorMap: () => ({ message: "Choose what to sign out" }) },
);
