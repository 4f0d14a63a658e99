/**
 * The example password the sign-up forms show. Everyone who reads a form
 * knows it, so the password rules refuse it (auth/password.server.ts), and
 * the hint says so.
 */
export const EXAMPLE_PASSWORD = "orange piano harbour";

/** The hint under every "Create a password" field: registration, invitations and password reset. */
export const PASSWORD_HINT = `At least 10 characters. Three random words work well. Choose your own: our example, '${EXAMPLE_PASSWORD}', will be refused.`;

/** Whether a password is the published example, ignoring case and extra spaces. */
export const isExamplePassword = (password: string): boolean => password.trim().toLowerCase().replace(/\s+/g, " ") === EXAMPLE_PASSWORD;
