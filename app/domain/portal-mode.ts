/**
 * Demo or deployment (docs/decisions/0019-deployment-mode.md). A demo portal
 * writes the demo data, with its published passwords, into an empty database;
 * a deployment never does. PORTAL_MODE says which; unset, a portal whose
 * APP_URL points anywhere but this machine is taken to be a deployment, so a
 * real site cannot get the demo accounts by forgetting one variable.
 */
export type PortalMode = "demo" | "deployment";

export const PORTAL_MODES: readonly PortalMode[] = ["demo", "deployment"];

/** The demo accounts' email domain (reserved by RFC 2606, so no real account has it). */
export const DEMO_EMAIL_DOMAIN = "demo.example";

export interface PortalModeDecision {
  mode: PortalMode;
  /** Why, in a few words, for the start log. */
  reason: string;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The mode from PORTAL_MODE and APP_URL. Throws an Error naming the variable when PORTAL_MODE is not one of the modes. */
export function decidePortalMode(env: Readonly<Record<string, string | undefined>>): PortalModeDecision {
  const asked = env.PORTAL_MODE?.trim();
  if (asked) {
    if (!(PORTAL_MODES as readonly string[]).includes(asked)) {
      throw new Error(`PORTAL_MODE must be "demo" or "deployment", not "${asked}".`);
    }
    return { mode: asked as PortalMode, reason: `PORTAL_MODE=${asked}` };
  }
  const appUrl = env.APP_URL?.trim();
  if (appUrl) {
    let host: string | null = null;
    try {
      host = new URL(appUrl).hostname;
    } catch {
      host = null;
    }
    if (host && !LOCAL_HOSTS.has(host) && !host.endsWith(".localhost")) {
      return { mode: "deployment", reason: `PORTAL_MODE is unset and APP_URL points at ${host}, not this machine` };
    }
  }
  return { mode: "demo", reason: "PORTAL_MODE is unset and APP_URL is unset or local" };
}

/** Whether an email address is one of the demo's. */
export function isDemoEmail(email: string): boolean {
  return email.toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`);
}
