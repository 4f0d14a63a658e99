import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { attendeeCookieHeader } from "~/auth/attendee-session.server";
import { readVerifiedForm } from "~/auth/csrf.server";
import { getVoter } from "~/auth/voter-session.server";
import { clientKey } from "~/domain/client-address";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CsrfInput } from "~/components/ui/csrf-input";
import { ErrorSummary } from "~/components/ui/error-summary";
import { TextField } from "~/components/ui/field";
import { JoinMeetingSchema } from "~/domain/forms/public-meeting";
import { getBallotForFund } from "~/models/community-ballot.server";
import { joinMeeting } from "~/services/public-meetings.server";
import { getDb } from "~/utils/db.server";
import { submitForm } from "~/utils/forms.server";

const copy = {
  title: "Join the meeting",
  intro: "Type the door code shown at the entrance. You do not need an account.",
  doorCode: "Door code",
  doorCodeHint: "6 letters and numbers, for example K7PM3Q.",
  cardCode: "The code on your attendee card (if you were given one)",
  cardCodeHint: "For example ABCD-EFGH-JK. Leave it empty if you have no card.",
  submit: "Join",
};

export const meta: MetaFunction = () => [{ title: `${copy.title} – Community Grant Decisions` }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readVerifiedForm(request);
  const db = getDb();
  return submitForm(
    form,
    JoinMeetingSchema,
    async (data) => {
      const { meetingId, token } = await joinMeeting(db, {
        doorCode: data.doorCode,
        cardCode: data.cardCode,
        client: clientKey(context?.clientAddress),
        // An electorate meeting: this phone's own session on the fund's community vote, if it has one.
        ballotVoterIdFor: async (fundId) => {
          const ballot = await getBallotForFund(db, fundId);
          return ballot ? ((await getVoter(db, request, ballot.id))?.id ?? null) : null;
        },
      });
      return redirect(`/meet/${meetingId}`, { headers: { "Set-Cookie": await attendeeCookieHeader(request, token) } });
    },
    { errorField: "doorCode" },
  );
}

export default function JoinMeeting() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <div className="max-w-xl">
      <ErrorSummary errors={errors} />
      <h1>{copy.title}</h1>
      <p>{copy.intro}</p>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField
          name="doorCode"
          label={copy.doorCode}
          hint={copy.doorCodeHint}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          className="max-w-xs font-mono text-2xl"
          defaultValue={actionData?.values?.doorCode}
          error={errors?.doorCode}
        />
        <TextField
          name="cardCode"
          label={copy.cardCode}
          hint={copy.cardCodeHint}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          className="max-w-xs font-mono"
          defaultValue={actionData?.values?.cardCode}
          error={errors?.cardCode}
        />
        <button type="submit" className="btn">
          {copy.submit}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
