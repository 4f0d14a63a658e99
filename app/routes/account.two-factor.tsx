import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readVerifiedForm } from "~/auth/csrf.server";
import { requireUserForTwoFactorSetUp } from "~/auth/guards.server";
import { totpQrCode, totpUri, twoFactorStatus } from "~/auth/two-factor.server";
import { openSecret } from "~/auth/two-factor-secret.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { TotpCodeSchema } from "~/domain/forms/two-factor";
import { landingPath } from "~/domain/memberships";
import { formatDate } from "~/domain/phases";
import { formatRecoveryCode, groupSecret, requiresTwoFactor } from "~/domain/two-factor";
import { listActiveMemberships } from "~/models/membership.server";
import { cancelTwoFactorSetUp, confirmTwoFactorSetUp, regenerateRecoveryCodes, startTwoFactorSetUp, turnOffTwoFactor } from "~/services/two-factor.server";
import { getDb } from "~/utils/db.server";
import { formError, submitForm } from "~/utils/forms.server";
import { safeRedirectPath } from "~/utils/http.server";

const copy = {
  title: "Two-factor sign-in",
  required:
    "Fund administrators must use two-factor sign-in. Set it up now to use the administrator pages: after your password, you will also enter a code from an app on your phone.",
  optional:
    "Two-factor sign-in keeps your account safe even if someone learns your password: after your password, you also enter a code from an app on your phone.",
  off: "Two-factor sign-in is off for your account.",
  start: "Set up two-factor sign-in",
  step1: "1. Add this account to your authenticator app",
  step1Hint: "Use any authenticator app, for example Google Authenticator, Microsoft Authenticator or a password manager. Scan the QR code, or type the key.",
  qrAlt: "QR code for adding your account to an authenticator app (the same as the key below)",
  key: "Key (if you cannot scan the code)",
  keyDetails: "Time-based, 6 digits, every 30 seconds",
  step2: "2. Enter the code the app shows",
  code: "Code from your app",
  codeHint: "6 digits, for example 123456",
  confirm: "Confirm and turn on",
  cancel: "Cancel",
  codesTitle: "Your recovery codes",
  codesIntro:
    "Each of these codes signs you in once if you do not have your phone. Write them down or print them, and keep them somewhere safe: this is the only time they are shown.",
  codesDone: "I have saved my recovery codes: continue",
  on: (since: string) => `Two-factor sign-in is on for your account (since ${since}).`,
  codesLeft: (n: number) => `You have ${n} unused recovery ${n === 1 ? "code" : "codes"}.`,
  regenerateTitle: "Recovery codes",
  regenerate: "Get new recovery codes",
  regenerateHint: "Your old recovery codes stop working.",
  changeTitle: "A new phone",
  change: "Move to a new authenticator app",
  changeHint: "Your current app keeps working until you confirm the new one.",
  turnOffTitle: "Turn off two-factor sign-in",
  turnOffCode: "Code from your app, to confirm",
  turnOff: "Turn off two-factor sign-in",
  mustKeep: "As a fund administrator you cannot turn two-factor sign-in off.",
  noIntent: "Choose what to do with two-factor sign-in.",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUserForTwoFactorSetUp(request);
  const db = getDb();
  const [status, memberships] = await Promise.all([twoFactorStatus(db, user.id), listActiveMemberships(db, user.id)]);
  const secret = status.pendingSecret ? openSecret(user.id, status.pendingSecret) : null;
  const uri = secret ? totpUri(secret, user.email) : null;
  return json({
    isRequired: requiresTwoFactor(user.id, memberships),
    isEnrolled: status.isEnrolled,
    enrolledOn: status.confirmedAt ? formatDate(status.confirmedAt.slice(0, 10)) : null,
    recoveryCodesLeft: status.recoveryCodesLeft,
    setUp: secret && uri ? { key: groupSecret(secret), qr: await totpQrCode(uri) } : null,
    /** Where "continue" goes after the recovery codes: where they were going, or their home. */
    next: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), landingPath(memberships)),
  });
}

const NoFieldsSchema = z.object({});

export async function action({ request }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const user = await requireUserForTwoFactorSetUp(request);
  const db = getDb();
  const intent = form.get("intent");
  // After a change, back to this page by GET (so a refresh does not repeat it), keeping where to go next.
  const url = new URL(request.url);
  const here = redirect(url.pathname + url.search);
  switch (intent) {
    case "start":
      return submitForm(form, NoFieldsSchema, async () => {
        await startTwoFactorSetUp(db, user.id);
        return here;
      });
    case "cancel":
      return submitForm(form, NoFieldsSchema, async () => {
        await cancelTwoFactorSetUp(db, user.id);
        return here;
      });
    case "confirm":
      return submitForm(form, TotpCodeSchema, async ({ code }) => json({ recoveryCodes: await confirmTwoFactorSetUp(db, user.id, code) }), {
        values: { intent },
      });
    case "regenerate":
      return submitForm(form, NoFieldsSchema, async () => json({ recoveryCodes: await regenerateRecoveryCodes(db, user.id) }));
    case "disable":
      return submitForm(
        form,
        TotpCodeSchema,
        async ({ code }) => {
          await turnOffTwoFactor(db, user.id, code);
          return here;
        },
        { values: { intent }, fields: ["code"] },
      );
    default:
      return formError({ form: copy.noIntent });
  }
}

function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  return (
    <section aria-labelledby="codes-title" className="panel">
      <h2 id="codes-title" className="mt-0">
        {copy.codesTitle}
      </h2>
      <p>{copy.codesIntro}</p>
      <ol className="list-none space-y-1 p-0 font-mono text-lg">
        {codes.map((code) => (
          <li key={code}>{formatRecoveryCode(code)}</li>
        ))}
      </ol>
      <p>
        <Link to={next} className="btn">
          {copy.codesDone}
        </Link>
      </p>
    </section>
  );
}

export default function TwoFactor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "errors" in actionData ? actionData.errors : undefined;
  const intent = actionData && "values" in actionData ? actionData.values.intent : undefined;
  const recoveryCodes = actionData && "recoveryCodes" in actionData ? actionData.recoveryCodes : null;

  return (
    <div className="max-w-2xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} next={data.next} />
      ) : data.setUp ? (
        <>
          {data.isRequired && !data.isEnrolled ? <p>{copy.required}</p> : null}
          <h2>{copy.step1}</h2>
          <p>{copy.step1Hint}</p>
          <img src={data.setUp.qr} alt={copy.qrAlt} width={224} height={224} className="border border-slate-300" />
          <p className="mb-0 mt-4 font-semibold">{copy.key}</p>
          <p className="mt-1 break-all font-mono text-lg" id="totp-key">
            {data.setUp.key}
          </p>
          <p className="text-sm text-slate-700">{copy.keyDetails}</p>
          <h2>{copy.step2}</h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="confirm" />
            <TextField
              name="code"
              label={copy.code}
              hint={copy.codeHint}
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              className="max-w-xs"
              error={intent === "confirm" ? errors?.code : undefined}
            />
            <button type="submit" className="btn">
              {copy.confirm}
            </button>
          </Form>
          <Form method="post" className="mt-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="btn-secondary">
              {copy.cancel}
            </button>
          </Form>
        </>
      ) : data.isEnrolled ? (
        <>
          <p>{copy.on(data.enrolledOn ?? "")}</p>
          <p>{copy.codesLeft(data.recoveryCodesLeft)}</p>
          <h2>{copy.regenerateTitle}</h2>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="regenerate" />
            <p>{copy.regenerateHint}</p>
            <button type="submit" className="btn-secondary">
              {copy.regenerate}
            </button>
          </Form>
          <h2>{copy.changeTitle}</h2>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="start" />
            <p>{copy.changeHint}</p>
            <button type="submit" className="btn-secondary">
              {copy.change}
            </button>
          </Form>
          <h2>{copy.turnOffTitle}</h2>
          {data.isRequired ? (
            <p>{copy.mustKeep}</p>
          ) : (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="disable" />
              <TextField
                name="code"
                label={copy.turnOffCode}
                inputMode="numeric"
                autoComplete="one-time-code"
                spellCheck={false}
                className="max-w-xs"
                error={intent === "disable" ? errors?.code : undefined}
              />
              <button type="submit" className="btn-warning">
                {copy.turnOff}
              </button>
            </Form>
          )}
        </>
      ) : (
        <>
          <p>{data.isRequired ? copy.required : copy.optional}</p>
          {data.isRequired ? null : <p>{copy.off}</p>}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="btn">
              {copy.start}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
