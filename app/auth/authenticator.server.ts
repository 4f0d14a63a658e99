import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { LoginSchema } from "~/domain/forms/auth";
import { findUserByEmail } from "~/models/user.server";
import { getDb } from "~/utils/db.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { isThrottled, recordLoginAttempt } from "./throttle.server";

export const SIGN_IN_FAILED = "The email address or password is not right. Check them and try again.";
export const SIGN_IN_THROTTLED = "There have been too many failed attempts to sign in to this account. Wait 15 minutes and try again, or reset your password.";

/** Thrown by the strategy; its message is safe to show on the sign-in page. */
export class SignInError extends Error {}

export const authenticator = new Authenticator<{ id: string }>();

authenticator.use(
  new FormStrategy(async ({ form }) => {
    const parsed = LoginSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) throw new SignInError(SIGN_IN_FAILED);
    const { email, password } = parsed.data;
    const db = getDb();
    if (await isThrottled(db, email)) throw new SignInError(SIGN_IN_THROTTLED);
    const user = await findUserByEmail(db, email);
    const isValid = user && !user.disabled_at ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    await recordLoginAttempt(db, email, isValid);
    if (!user || !isValid) throw new SignInError(SIGN_IN_FAILED);
    return { id: user.id };
  }),
  "form",
);
