import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { LoginSchema } from "~/domain/forms/auth";
import { findUserByEmail } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { hashingBusyResponse, isHashingQueueFull, verifyAgainstDummy, verifyPassword } from "./password.server";
import { clientOf, markSignInSucceeded, reserveSignInAttemptWaiting } from "./throttle.server";

export const SIGN_IN_FAILED = "The email address or password is not right. Check them and try again.";
export const SIGN_IN_THROTTLED = "There have been too many failed attempts to sign in to this account. Wait 15 minutes and try again, or reset your password.";
export const SIGN_IN_CLIENT_THROTTLED =
  "There have been too many failed attempts to sign in from your network. Wait 15 minutes and try again, or reset your password.";
export const SIGN_IN_BUSY = "Sign-in is slowed down just now because of a large number of failed attempts across the site. Wait a minute and try again.";

const REFUSED = { account: SIGN_IN_THROTTLED, client: SIGN_IN_CLIENT_THROTTLED, busy: SIGN_IN_BUSY } as const;

/** Thrown by the strategy; its message is safe to show on the sign-in page. */
export class SignInError extends Error {}

export const authenticator = new Authenticator<{ id: string }>();

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const parsed = LoginSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) throw new SignInError(SIGN_IN_FAILED);
    const { email, password } = parsed.data;
    // A full hashing queue refuses at once (503), before the attempt is counted against the account.
    if (isHashingQueueFull()) throw hashingBusyResponse();
    const db = getDb();
    // Reserve the password check first (it counts as a failure until it succeeds), so parallel guesses cannot pass the limits.
    const reservation = await reserveSignInAttemptWaiting(db, email, clientOf(request));
    if (reservation.outcome !== "reserved") throw new SignInError(REFUSED[reservation.outcome]);
    const user = await findUserByEmail(db, email);
    const isValid = user && !user.disabled_at ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    if (!user || !isValid) throw new SignInError(SIGN_IN_FAILED);
    await markSignInSucceeded(db, reservation.attemptId);
    return { id: user.id };
  }),
  "form",
);
