import { beforeAll, describe, expect, it } from "vitest";
import { loader as csvLoader } from "~/routes/admin.funds.$fundId.ballot_.paper[.]csv";
import { action as keyAction, loader as keyLoader } from "~/routes/admin.funds.$fundId.ballot_.paper.key";
import { action as resolveAction, loader as resolveLoader } from "~/routes/admin.funds.$fundId.ballot_.paper.$paperId";
import { loader as paperLoader } from "~/routes/admin.funds.$fundId.ballot_.paper._index";
import { action as venuesAction } from "~/routes/admin.funds.$fundId.ballot_.paper.venues";
import { loader as participationLoader } from "~/routes/admin.funds.$fundId.ballot_.participation";
import { action as codeAction } from "~/routes/funds.$fundId.vote.code";
import { action as ballotAction } from "~/routes/funds.$fundId.vote._index";
import { action as aboutYouAction } from "~/routes/funds.$fundId.vote.about-you";
import { action as setupAction } from "~/routes/admin.funds.$fundId.ballot";
import { answerField } from "~/domain/forms/equality";
import { ONLINE_REFUSED } from "~/domain/paper-ballots";
import { addEqualityQuestion } from "~/services/equality.server";
import { generateVoterCodes } from "~/services/community-ballots.server";
import { saveVenue } from "~/services/paper-ballots.server";
import { getDb } from "~/utils/db.server";
import { actorOf, makeUser } from "../factories";
import { makeOpenBallot } from "../support/community-ballot";
import { cookiePair, getRequest, postForm, runAction, runLoader, sessionCookieFor } from "../support/http";

type Admin = Awaited<ReturnType<typeof makeUser>> & { cookie: string };
let admins: Admin[];

beforeAll(async () => {
  admins = [];
  for (const name of ["Ann Admin", "Bo Admin", "Cy Admin"]) {
    const user = await makeUser({ role: "admin", name });
    admins.push({ ...user, cookie: await sessionCookieFor(user.id) });
  }
});

/** An open approval ballot (up to 2 of 3) with one venue and printed codes. */
async function paperWorld(codeCount = 3) {
  const world = await makeOpenBallot(actorOf(admins[0]!));
  const venueId = await saveVenue(getDb(), actorOf(admins[0]!), world.fundId, { name: "Library", postcode: "BS5 6XX", issued: 10, returned: 4 });
  const codes = await generateVoterCodes(getDb(), actorOf(admins[0]!), world.fundId, codeCount);
  return { ...world, venueId, codes };
}

/** One keying through the page's action: ticked ids sent as repeated "choice" fields. */
async function key(fundId: string, by: Admin, fields: Record<string, string>, ticked: string[] = []) {
  const request = await postForm(`/admin/funds/${fundId}/ballot/paper/key`, fields, { cookie: by.cookie });
  const body = new URLSearchParams(await request.text());
  for (const id of ticked) body.append("choice", id);
  return runAction(keyAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { fundId });
}

const statusOf = (response: Response) => new URL(response.headers.get("Location")!, "http://x").searchParams.get("done");

const papers = (ballotId: string) =>
  getDb().selectFrom("paper_ballot").select(["id", "status", "ballot_paper_id", "resolved_by"]).where("ballot_id", "=", ballotId).execute();

const counted = (ballotId: string) =>
  getDb().selectFrom("ballot_paper").select(["id", "voter_id", "channel", "choices"]).where("ballot_id", "=", ballotId).where("is_counted", "=", 1).execute();

async function errorsOf(response: Response) {
  return ((await response.json()) as { errors: Record<string, string>; values: Record<string, string> }).errors;
}

/** A voter who came in online with a printed code: their voter cookie. */
async function onlineWithCode(fundId: string, code: string) {
  const response = await runAction(codeAction, await postForm(`/funds/${fundId}/vote/code`, { voterCode: code }), { fundId });
  expect(response.status).toBe(302);
  return cookiePair(response.headers.getSetCookie().find((c) => c.startsWith("__voter="))!);
}

async function voteOnline(fundId: string, cookie: string, ticked: string[]) {
  const request = await postForm(`/funds/${fundId}/vote`, {}, { cookie });
  const body = new URLSearchParams(await request.text());
  for (const id of ticked) body.append("choice", id);
  return runAction(ballotAction, new Request(request.url, { method: "POST", headers: request.headers, body }), { fundId });
}

describe("paper ballots keyed twice", () => {
  it("two matching keyings by different people count the ballot as a paper ballot for the code's voter", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    const first = await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id, proposals[1]!.id]);
    expect(first.status, await first.clone().text()).toBe(302);
    expect(statusOf(first)).toBe("waiting");
    expect(await counted(ballotId)).toEqual([]);
    // Typed in small letters without dashes: the same code.
    const second = await key(fundId, admins[1]!, { venueId, voterCode: codes[0]!.toLowerCase().replace(/-/g, "") }, [proposals[1]!.id, proposals[0]!.id]);
    expect(statusOf(second)).toBe("counted");
    const [ballot] = await counted(ballotId);
    expect(ballot).toMatchObject({ channel: "paper" });
    expect(JSON.parse(ballot!.choices)).toEqual({ [proposals[0]!.id]: 1, [proposals[1]!.id]: 1 });
    expect(await papers(ballotId)).toEqual([expect.objectContaining({ status: "counted", ballot_paper_id: ballot!.id, resolved_by: null })]);
    // The code now belongs to a voter, and counts as used.
    const code = await getDb().selectFrom("ballot_voter").select("voter_code_id").where("id", "=", ballot!.voter_id).executeTakeFirstOrThrow();
    expect(code.voter_code_id).not.toBeNull();
    // The keyings' audit events hold no choices.
    const events = await getDb().selectFrom("audit_event").select(["action", "after"]).where("action", "like", "paper_%").execute();
    for (const p of proposals) expect(JSON.stringify(events)).not.toContain(p.id);
  });

  it("the same person cannot key both copies: the second keying is a 400 and nothing is counted", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    expect(statusOf(await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]))).toBe("waiting");
    const again = await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]);
    expect(again.status).toBe(400);
    expect((await errorsOf(again)).voterCode).toMatch(/You have keyed this paper already/);
    expect(await counted(ballotId)).toEqual([]);
    const [paper] = await papers(ballotId);
    expect(paper).toMatchObject({ status: "waiting" });
    expect(await getDb().selectFrom("paper_keying").select("keyed_by").where("paper_ballot_id", "=", paper!.id).execute()).toEqual([
      { keyed_by: admins[0]!.id },
    ]);
  });

  it("differing keyings wait as a mismatch; a third keying that matches one of them settles it", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]);
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[2]!.id]))).toBe("mismatch");
    expect(await counted(ballotId)).toEqual([]);
    const list = (await (
      await runLoader(paperLoader, getRequest(`/admin/funds/${fundId}/ballot/paper`, { cookie: admins[0]!.cookie }), { fundId })
    ).json()) as {
      mismatches: { total: number; rows: { id: string }[] };
    };
    expect(list.mismatches.total).toBe(1);
    expect(statusOf(await key(fundId, admins[2]!, { venueId, voterCode: codes[0]! }, [proposals[2]!.id]))).toBe("counted");
    const [ballot] = await counted(ballotId);
    expect(JSON.parse(ballot!.choices)).toEqual({ [proposals[2]!.id]: 1 });
  });

  it("an administrator who keyed neither copy chooses the right keying, audited; a keyer of it is refused", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]);
    await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]);
    const [paper] = await papers(ballotId);
    const page = (await (
      await runLoader(resolveLoader, getRequest(`/admin/funds/${fundId}/ballot/paper/${paper!.id}`, { cookie: admins[2]!.cookie }), {
        fundId,
        paperId: paper!.id,
      })
    ).json()) as { keyings: { id: string; keyerName: string }[]; differences: string[]; canResolve: boolean };
    expect(page.differences).toEqual(["the choices"]);
    expect(page.canResolve).toBe(true);
    expect(page.keyings.map((k) => k.keyerName)).toEqual(["Ann Admin", "Bo Admin"]);
    const second = page.keyings[1]!.id;

    const byKeyer = await runAction(
      resolveAction,
      await postForm(`/admin/funds/${fundId}/ballot/paper/${paper!.id}`, { keying: second }, { cookie: admins[1]!.cookie }),
      { fundId, paperId: paper!.id },
    );
    expect(byKeyer.status).toBe(400);
    expect((await errorsOf(byKeyer)).keying).toMatch(/You keyed this paper/);

    const missing = await runAction(resolveAction, await postForm(`/admin/funds/${fundId}/ballot/paper/${paper!.id}`, {}, { cookie: admins[2]!.cookie }), {
      fundId,
      paperId: paper!.id,
    });
    expect(missing.status).toBe(400);
    expect((await errorsOf(missing)).keying).toBe("Choose the keying that matches the paper");

    const chosen = await runAction(
      resolveAction,
      await postForm(`/admin/funds/${fundId}/ballot/paper/${paper!.id}`, { keying: second }, { cookie: admins[2]!.cookie }),
      { fundId, paperId: paper!.id },
    );
    expect(chosen.status).toBe(302);
    const [ballot] = await counted(ballotId);
    expect(JSON.parse(ballot!.choices)).toEqual({ [proposals[1]!.id]: 1 });
    expect(await papers(ballotId)).toEqual([expect.objectContaining({ status: "counted", resolved_by: admins[2]!.id })]);
    const event = await getDb()
      .selectFrom("audit_event")
      .select(["actor", "after"])
      .where("action", "=", "paper_ballot.resolved")
      .where("entity_id", "=", paper!.id)
      .executeTakeFirstOrThrow();
    expect(event.actor).toBe(admins[2]!.id);
    expect(JSON.parse(event.after!)).toMatchObject({ keying_id: second, keyed_by: admins[1]!.id, status: "counted" });
  });

  it("bad input is a 400 with field errors in plain English and the input kept: unknown code, no venue, too many choices", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    const unknown = await key(fundId, admins[0]!, { venueId, voterCode: "ZZZZ-ZZZZ-ZZ" }, [proposals[0]!.id]);
    expect(unknown.status).toBe(400);
    expect(await errorsOf(unknown)).toEqual({ voterCode: "We do not know this voter code. Check the code printed on the paper and type it again" });

    const noVenue = await key(fundId, admins[0]!, { venueId: "", voterCode: codes[0]! }, [proposals[0]!.id]);
    expect(noVenue.status).toBe(400);
    const noVenueData = (await noVenue.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(noVenueData.errors.venueId).toBe("Choose the venue the paper came from");
    expect(noVenueData.values.voterCode).toBe(codes[0]);

    const tooMany = await key(
      fundId,
      admins[0]!,
      { venueId, voterCode: codes[0]! },
      proposals.map((p) => p.id),
    );
    expect(tooMany.status).toBe(400);
    expect((await errorsOf(tooMany)).choices).toBe("You chose 3 projects. You can choose up to 2. Untick 1.");

    const noCode = await key(fundId, admins[0]!, { venueId, voterCode: " " }, [proposals[0]!.id]);
    expect((await errorsOf(noCode)).voterCode).toBe("Enter the voter code printed on the paper");
    expect(await papers(ballotId)).toEqual([]);
  });

  it("a paper keyed as spoilt twice is spoilt, not counted", async () => {
    const { fundId, ballotId, venueId, codes } = await paperWorld();
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]!, spoilt: "yes" });
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]!, spoilt: "yes" }))).toBe("spoilt");
    expect(await counted(ballotId)).toEqual([]);
  });

  it("only administrators reach the paper ballot pages", async () => {
    const { fundId } = await paperWorld();
    const member = await makeUser({ role: "panel_member" });
    const response = await runLoader(paperLoader, getRequest(`/admin/funds/${fundId}/ballot/paper`, { cookie: await sessionCookieFor(member.id) }), { fundId });
    expect(response.status).toBe(403);
    const keyPage = await runLoader(keyLoader, getRequest(`/admin/funds/${fundId}/ballot/paper/key`), { fundId });
    expect(keyPage.status).toBe(302);
  });
});

describe("one person, one counted ballot across channels", () => {
  it("online first, then paper: the paper ballot is refused and flagged, and the online one still counts", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    const cookie = await onlineWithCode(fundId, codes[0]!);
    expect((await voteOnline(fundId, cookie, [proposals[0]!.id])).status).toBe(302);
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]);
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]))).toBe("refused");
    const ballots = await counted(ballotId);
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({ channel: "online" });
    expect(JSON.parse(ballots[0]!.choices)).toEqual({ [proposals[0]!.id]: 1 });
    const page = (await (
      await runLoader(paperLoader, getRequest(`/admin/funds/${fundId}/ballot/paper`, { cookie: admins[0]!.cookie }), { fundId })
    ).json()) as {
      flags: { total: number; rows: { channel: string; reason: string; venueName: string | null }[] };
    };
    expect(page.flags.total).toBe(1);
    expect(page.flags.rows[0]).toMatchObject({ channel: "paper", venueName: "Library" });
    expect(page.flags.rows[0]!.reason).toMatch(/already used to vote online/);
  });

  it("paper first, then online: the online ballot is a 400 that says why, flagged, and the paper one still counts", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]);
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]))).toBe("counted");
    const cookie = await onlineWithCode(fundId, codes[0]!);
    const online = await voteOnline(fundId, cookie, [proposals[0]!.id]);
    expect(online.status).toBe(400);
    expect((await errorsOf(online)).choices).toBe(ONLINE_REFUSED);
    const ballots = await counted(ballotId);
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({ channel: "paper" });
    const flags = await getDb().selectFrom("ballot_flag").select(["channel", "reason"]).where("ballot_id", "=", ballotId).execute();
    expect(flags).toEqual([expect.objectContaining({ channel: "online" })]);
    expect(flags[0]!.reason).toMatch(/paper ballot that is counted/);
    expect(await getDb().selectFrom("ballot_paper").select("id").where("ballot_id", "=", ballotId).execute()).toHaveLength(1);
  });

  it("a second paper with a code already counted on paper is refused and flagged", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]);
    await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[1]!.id]);
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[2]!.id]);
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[2]!.id]))).toBe("refused");
    expect(await counted(ballotId)).toHaveLength(1);
  });
});

describe("venue reconciliation", () => {
  it("per venue: issued, returned, keyed, counted, spoilt and waiting add up to the totals, on the page and in the CSV", async () => {
    const { fundId, venueId, codes, proposals } = await paperWorld(4);
    const second = await saveVenue(getDb(), actorOf(admins[0]!), fundId, { name: "Church hall", postcode: null, issued: 5, returned: 1 });
    // Library: one counted, one spoilt, one waiting. Church hall: one mismatch.
    await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]);
    await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]);
    await key(fundId, admins[0]!, { venueId, voterCode: codes[1]!, spoilt: "yes" });
    await key(fundId, admins[1]!, { venueId, voterCode: codes[1]!, spoilt: "yes" });
    await key(fundId, admins[0]!, { venueId, voterCode: codes[2]! }, [proposals[1]!.id]);
    await key(fundId, admins[0]!, { venueId: second, voterCode: codes[3]! }, [proposals[1]!.id]);
    await key(fundId, admins[1]!, { venueId: second, voterCode: codes[3]!, spoilt: "yes" });

    const page = (await (
      await runLoader(paperLoader, getRequest(`/admin/funds/${fundId}/ballot/paper`, { cookie: admins[0]!.cookie }), { fundId })
    ).json()) as {
      reconciliation: { lines: Record<string, unknown>[]; totals: Record<string, unknown> };
    };
    expect(page.reconciliation.lines).toEqual([
      expect.objectContaining({ name: "Church hall", issued: 5, returned: 1, keyed: 1, mismatch: 1, notKeyed: 0, notReturned: 4 }),
      expect.objectContaining({ name: "Library", issued: 10, returned: 4, keyed: 3, counted: 1, spoilt: 1, waiting: 1, notKeyed: 1, notReturned: 6 }),
    ]);
    expect(page.reconciliation.totals).toMatchObject({
      issued: 15,
      returned: 5,
      keyed: 4,
      counted: 1,
      spoilt: 1,
      waiting: 1,
      mismatch: 1,
      notKeyed: 1,
      notReturned: 10,
    });

    const csv = await runLoader(csvLoader, getRequest(`/admin/funds/${fundId}/ballot/paper.csv`, { cookie: admins[0]!.cookie }), { fundId });
    expect(csv.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Venue,Issued,Returned,Keyed,Counted,Spoilt/);
    expect(lines.slice(1)).toEqual(["Church hall,5,1,1,0,0,0,0,1,0,4,", "Library,10,4,3,1,1,0,1,0,1,6,", "Total,15,5,4,1,1,0,1,1,1,10,"]);
  });

  it("a venue form with a missing name or a count that is not a number is a 400 with field errors", async () => {
    const { fundId } = await paperWorld();
    const response = await runAction(
      venuesAction,
      await postForm(`/admin/funds/${fundId}/ballot/paper/venues`, { name: "", issued: "lots", returned: "2" }, { cookie: admins[0]!.cookie }),
      { fundId },
    );
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(data.errors).toMatchObject({ name: "Enter the venue's name", issued: "Enter the number of papers handed out as a whole number, like 40, or 0" });
    expect(data.values.returned).toBe("2");
  });
});

describe("participation report", () => {
  it("counts counted ballots by area and channel, paper voters included, and hides voters' equality groups under 10", async () => {
    const { fundId, venueId, codes, proposals } = await paperWorld(12);
    // Two paper voters (venue BS5 6XX) and ten online voters with printed codes (no postcode).
    for (const code of codes.slice(0, 2)) {
      await key(fundId, admins[0]!, { venueId, voterCode: code }, [proposals[0]!.id]);
      await key(fundId, admins[1]!, { venueId, voterCode: code }, [proposals[0]!.id]);
    }
    const questionId = await addEqualityQuestion(getDb(), actorOf(admins[0]!), fundId, { text: "Your age", options: ["Under 40", "40 or over"] });
    const options = await getDb().selectFrom("equality_option").select(["id", "label"]).where("question_id", "=", questionId).orderBy("position").execute();
    for (const [i, code] of codes.slice(2).entries()) {
      const cookie = await onlineWithCode(fundId, code);
      expect((await voteOnline(fundId, cookie, [proposals[1]!.id])).status).toBe(302);
      // Nine say under 40, one says 40 or over.
      const answer = await runAction(
        aboutYouAction,
        await postForm(`/funds/${fundId}/vote/about-you`, { [answerField(questionId)]: options[i < 9 ? 0 : 1]!.id }, { cookie }),
        { fundId },
      );
      expect(answer.status).toBe(303);
      if (i === 0) {
        const again = await runAction(aboutYouAction, await postForm(`/funds/${fundId}/vote/about-you`, {}, { cookie }), { fundId });
        expect(again.status).toBe(400);
      }
    }
    const report = (await (
      await runLoader(participationLoader, getRequest(`/admin/funds/${fundId}/ballot/participation`, { cookie: admins[0]!.cookie }), { fundId })
    ).json()) as {
      turnout: { total: number; byChannel: Record<string, number>; byArea: Record<string, unknown>[] };
      equality: { question: string; answered: number | null; options: { label: string; count: number | null }[] }[];
    };
    expect(report.turnout.total).toBe(12);
    expect(report.turnout.byChannel).toEqual({ online: 10, paper: 2 });
    expect(report.turnout.byArea).toEqual([
      { area: "BS5", online: 0, paper: 2, total: 2 },
      { area: "Not known", online: 10, paper: 0, total: 10 },
    ]);
    // Ten answered, so the question is shown; 9 and 1 are both under 10, so both counts are hidden.
    expect(report.equality).toEqual([
      {
        question: "Your age",
        answered: 10,
        options: [
          { label: "Under 40", count: null },
          { label: "40 or over", count: null },
          { label: "Prefer not to say", count: null },
        ],
      },
    ]);
    // Answers are stored without the voter: the response table has no voter column, the marker no answer.
    const responses = await getDb().selectFrom("equality_response").selectAll().where("fund_id", "=", fundId).execute();
    expect(responses).toHaveLength(10);
    expect(Object.keys(responses[0]!).sort()).toEqual(["fund_id", "id", "role_group"]);
    // Never a count of votes for projects.
    expect(JSON.stringify(report)).not.toContain(proposals[0]!.id);
  });
});

describe("papers handed in at the close", () => {
  const close = (ballotId: string) =>
    getDb()
      .updateTable("community_ballot")
      .set({ closes_at: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", ballotId)
      .execute();
  const count = async (fundId: string) =>
    runAction(setupAction, await postForm(`/admin/funds/${fundId}/ballot`, { intent: "count" }, { cookie: admins[0]!.cookie }), { fundId });

  it("are keyed after the close; the count waits until every paper is settled, and no paper is keyed after it", async () => {
    const { fundId, ballotId, venueId, codes, proposals } = await paperWorld();
    await close(ballotId);
    // Online voting has closed, paper keying has not: two matching keyings count the paper.
    expect(statusOf(await key(fundId, admins[0]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]))).toBe("waiting");
    expect(statusOf(await key(fundId, admins[1]!, { venueId, voterCode: codes[0]! }, [proposals[0]!.id]))).toBe("counted");
    // A second paper keyed once: the count is refused, and says why.
    expect(statusOf(await key(fundId, admins[0]!, { venueId, voterCode: codes[1]! }, [proposals[1]!.id]))).toBe("waiting");
    const refused = await count(fundId);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("1 paper ballot is still waiting for a second keying");
    expect(await getDb().selectFrom("ballot_result").select("ballot_id").where("ballot_id", "=", ballotId).executeTakeFirst()).toBeUndefined();
    // Keyed again, it counts; then the count goes ahead with both papers.
    expect(statusOf(await key(fundId, admins[2]!, { venueId, voterCode: codes[1]! }, [proposals[1]!.id]))).toBe("counted");
    expect((await count(fundId)).status).toBe(302);
    const result = await getDb().selectFrom("ballot_result").select("ballot_count").where("ballot_id", "=", ballotId).executeTakeFirstOrThrow();
    expect(result.ballot_count).toBe(2);
    // After the count, a paper is refused with a plain reason and nothing is written.
    const late = await key(fundId, admins[0]!, { venueId, voterCode: codes[2]! }, [proposals[2]!.id]);
    expect(late.status).toBe(400);
    expect(JSON.stringify(await late.json())).toContain("no more paper ballots can be keyed");
    expect((await papers(ballotId)).map((p) => p.status).sort()).toEqual(["counted", "counted"]);
  });
});
