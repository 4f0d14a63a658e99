import { randomBytes } from "node:crypto";
import os from "node:os";
import nodemailer from "nodemailer";
import type { DB } from "../../db/client";
import { CLAIM_LEASE_MS, claimPendingEmails, markEmailFailed, markEmailSent, renewEmailClaim } from "~/models/outbox.server";

/** What delivery needs of a mail transport: nodemailer's, or a test's stand-in that records what it is given. */
export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; text: string; messageId: string }): Promise<unknown>;
}

/** This server process, as it signs its claims on the outbox: host, process id and a random part (a restarted process is someone else). */
export const PROCESS_CLAIMANT = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** The domain of the From address, for Message-IDs; a made-up one if it has none. */
function messageIdDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "grant-portal.invalid";
}

export interface DeliveryOptions {
  /** Who claims the emails: this process unless a test plays several servers. */
  claimant?: string;
  /** How many emails one round claims. */
  batchSize?: number;
  leaseMs?: number;
}

/**
 * Sends what is waiting in the outbox, once across every server sharing the
 * database (docs/decisions/0052): it claims a batch (other servers pass over
 * it), and before each send renews the claim, so an email whose claim ran out
 * and went to another server is not sent here too. The send happens outside
 * any transaction; each email is then marked sent or failed on its own. A
 * failure to mark a sent email is thrown (and logged by the caller): its
 * claim runs out and it is sent again, so an email can arrive twice but is
 * never lost. Its Message-ID is fixed (the outbox id), so a repeat is
 * recognisably the same message.
 */
export async function deliverOutbox(db: DB, transport: MailTransport, from: string, options: DeliveryOptions = {}) {
  const { claimant = PROCESS_CLAIMANT, batchSize = 50, leaseMs = CLAIM_LEASE_MS } = options;
  const domain = messageIdDomain(from);
  let sent = 0;
  let failed = 0;
  for (const email of await claimPendingEmails(db, claimant, { limit: batchSize, leaseMs })) {
    if (!(await renewEmailClaim(db, email.id, claimant, leaseMs))) continue;
    try {
      await transport.sendMail({ from, to: email.to_address, subject: email.subject, text: email.body_text, messageId: `<${email.id}@${domain}>` });
    } catch (error) {
      await markEmailFailed(db, email.id, error instanceof Error ? error.message : String(error));
      failed += 1;
      continue;
    }
    await markEmailSent(db, email.id);
    sent += 1;
  }
  return { sent, failed };
}

/**
 * Time limits for one SMTP conversation, unless SMTP_URL sets its own (as
 * `?socketTimeout=…`): nodemailer's defaults let one send hang for ten
 * minutes, longer than a claim's lease, after which another server could send
 * the same email.
 */
const SMTP_TIME_LIMITS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export function smtpUrlWithTimeLimits(smtpUrl: string): string {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return smtpUrl;
  }
  for (const [name, ms] of Object.entries(SMTP_TIME_LIMITS)) if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  return url.toString();
}

/**
 * Polls the outbox and delivers by SMTP until the returned stop function is
 * called. Every server may run it at once: the claims keep each email to one.
 */
export function startOutboxDelivery(db: DB, smtpUrl: string, from: string, intervalMs = 5000): () => void {
  const transport = nodemailer.createTransport(smtpUrlWithTimeLimits(smtpUrl));
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await deliverOutbox(db, transport, from);
    } catch (error) {
      console.error("Outbox delivery failed:", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => {
    clearInterval(timer);
    transport.close();
  };
}
