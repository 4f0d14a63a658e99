/**
 * How long security bookkeeping is kept, in one place (README: "Personal data
 * (UK GDPR)"). `purgeExpiredPersonalData` deletes what is older, every hour in
 * the running server and on `npm run db:purge`.
 */
const DAY = 24 * 60 * 60 * 1000;

export const RETENTION = {
  /** A session is deleted this long after it expired (signed out, timed out or revoked sessions expire at once). */
  sessionAfterExpiry: 1 * DAY,
  /** Sign-in attempts, successful or not, by age only (the throttling windows are minutes to hours). */
  loginAttempt: 30 * DAY,
  /** A password reset link, this long after it was used or expired. */
  passwordResetAfterEnd: 7 * DAY,
  /** An invitation never accepted, this long after it expired. Accepted ones stay: they record who joined a panel. */
  invitationAfterExpiry: 90 * DAY,
  /** An email the outbox delivered, this long after it was sent. */
  deliveredEmail: 30 * DAY,
  /** A one-time submission key: long enough for a double click, a replay or a reload the next morning. Its fingerprint may hash an email. */
  submissionKey: 2 * DAY,
  /** A registration waiting for its emailed link, this long after it was used or expired (it holds a name, an email and a password hash). */
  registrationAfterEnd: 7 * DAY,
  /** A half-finished sign-in waiting for its two-factor code, once it has expired. */
  pendingSignInAfterExpiry: 0,
  /** A voter session (community vote), once it has expired: nothing lists them. */
  voterSessionAfterExpiry: 0,
  /**
   * A voter's join waiting for its emailed one-time code (it holds the email's hash, the postcode and the client
   * address), this long after the code expired: kept longer than the hour the join limits count over.
   */
  voterChallengeAfterExpiry: 1 * DAY,
  /**
   * Voters' email hashes, this long after the fund's results were published (and the vote closed). Then only the
   * anonymous voter rows stay, linking the kept ballots to nobody; the last-one-counts flags are already fixed.
   */
  voterEmailAfterResults: 90 * DAY,
  /** A public meeting attendee's session (a phone in the room), once it has expired: the attendee row and its votes stay. */
  attendeeSessionAfterExpiry: 0,
  /** A wrong door code typed at /meet (it holds the client address), by age: the throttle counts over 15 minutes. */
  doorCodeFailure: 1 * DAY,
} as const;

/** How often the running server purges. */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The cut-off times for a purge at `now`: rows older than these go. */
export function retentionCutoffs(now: Date) {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  return {
    sessionExpiredBefore: before(RETENTION.sessionAfterExpiry),
    loginAttemptBefore: before(RETENTION.loginAttempt),
    passwordResetEndedBefore: before(RETENTION.passwordResetAfterEnd),
    invitationExpiredBefore: before(RETENTION.invitationAfterExpiry),
    emailSentBefore: before(RETENTION.deliveredEmail),
    submissionBefore: before(RETENTION.submissionKey),
    registrationEndedBefore: before(RETENTION.registrationAfterEnd),
    pendingSignInExpiredBefore: before(RETENTION.pendingSignInAfterExpiry),
    voterSessionExpiredBefore: before(RETENTION.voterSessionAfterExpiry),
    voterChallengeExpiredBefore: before(RETENTION.voterChallengeAfterExpiry),
    voterResultsPublishedBefore: before(RETENTION.voterEmailAfterResults),
    attendeeSessionExpiredBefore: before(RETENTION.attendeeSessionAfterExpiry),
    doorCodeFailureBefore: before(RETENTION.doorCodeFailure),
  };
}
