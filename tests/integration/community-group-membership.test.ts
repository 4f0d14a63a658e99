import { beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "~/domain/csv";
import { IMPORT_COLUMN_NAMES } from "~/domain/proposal-import";
import { action as groupAdminAction, loader as groupAdminLoader } from "~/routes/admin.community-groups.$organisationId";
import { loader as groupsLoader } from "~/routes/admin.community-groups";
import { action as importAction } from "~/routes/admin.proposals.import";
import { loader as applicantHomeLoader } from "~/routes/applicant._index";
import { action as groupAction, loader as groupLoader } from "~/routes/applicant.group";
import { action as acceptAction, loader as invitationLoader } from "~/routes/invitations.$token";
import { action as joinAction, loader as joinLoader } from "~/routes/join-requests.$requestId";
import { loader as leadHomeLoader } from "~/routes/lead._index";
import { action as leadProposalAction, loader as leadProposalLoader } from "~/routes/lead.proposals.$proposalId";
import { action as loginAction } from "~/routes/login";
import { loader as proposalLoader } from "~/routes/proposals.$proposalId._index";
import { importProposals } from "~/services/imports.server";
import { inviteToGroup } from "~/services/group-membership.server";
import { DomainError } from "~/domain/errors";
import { getDb } from "~/utils/db.server";
import { actorOf, auditEventsFor, countOf, emailsTo, makeDecisionGroup, makeFund, makeOrganisation, makeUser, tokenFromLink } from "../factories";
import { csrfFor, getRequest, ORIGIN, postForm, runAction, runLoader, sessionCookieFor, sessionCookieFrom } from "../support/http";

const PASSWORD = "a long enough passphrase";

let admin: Awaited<ReturnType<typeof makeUser>>;
let adminCookie: string;
let leadStaff: Awaited<ReturnType<typeof makeUser>>;
let otherLeadStaff: Awaited<ReturnType<typeof makeUser>>;
let group: { id: string; name: string };

beforeAll(async () => {
  admin = await makeUser({ role: "admin", name: "Asha Admin" });
  adminCookie = await sessionCookieFor(admin.id);
  const fund = await makeFund({ name: "Joining fund" });
  const lead = await makeOrganisation({ kind: "lead_org", name: "Hartcliffe Anchor" });
  leadStaff = await makeUser({ role: "lead_org", organisationId: lead.id, name: "Lee Lead" });
  group = await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: lead.id, name: "South Joining" });
  const otherLead = await makeOrganisation({ kind: "lead_org", name: "Elsewhere Anchor" });
  otherLeadStaff = await makeUser({ role: "lead_org", organisationId: otherLead.id });
  await makeDecisionGroup({ fundId: fund.id, leadOrganisationId: otherLead.id, name: "North Joining" });
});

const ROW: Record<string, string> = {
  decision_group: "South Joining",
  title: "Raised beds for the allotment",
  summary: "We will build raised beds so older members can keep growing.",
  need_type: "expressed",
  need_evidence: "Twelve members have stopped coming because they cannot kneel.",
  beneficiaries: "Older allotment members",
  beneficiary_count: "40",
  what_built: "Twenty raised beds",
  budget_lines: "Timber: £12,000; Soil: £3,000",
  amount_requested: "£15,000",
  start_date: "2027-04-01",
  end_date: "2027-09-30",
  outcomes: "Members back on their plots | plots in use, counted monthly",
};

const importCsv = (...rows: Record<string, string>[]) => toCsv([IMPORT_COLUMN_NAMES.slice(), ...rows.map((r) => IMPORT_COLUMN_NAMES.map((c) => r[c] ?? ""))]);

/** Imports one proposal for a new group through the import service, as the administrator; returns the group and proposal ids. */
async function importForNewGroup(communityGroup: string, title: string) {
  const result = await importProposals(getDb(), actorOf(admin), importCsv({ ...ROW, community_group: communityGroup, title }));
  if (!result.ok) throw new Error(JSON.stringify(result));
  expect(result.createdGroups).toEqual([communityGroup]);
  const proposal = await getDb().selectFrom("proposal").select(["id", "organisation_id"]).where("id", "=", result.imported[0]!.id).executeTakeFirstOrThrow();
  return { organisationId: proposal.organisation_id, proposalId: proposal.id };
}

/** Accepts the emailed invitation as someone new (the invitation page's form), then signs in on the sign-in page; returns their session cookie. */
async function acceptAsNewPersonAndSignIn(email: string, name: string) {
  const [invitation] = await emailsTo(email);
  const token = tokenFromLink(invitation!.body_text, "invitations");
  const accepted = await runAction(acceptAction, await postForm(`/invitations/${token}`, { name, password: PASSWORD }), { token });
  expect(accepted.status).toBe(302);
  const signedIn = await runAction(loginAction, await postForm("/login", { email, password: PASSWORD }));
  expect(signedIn.status).toBe(302);
  expect(signedIn.headers.get("Location")).toBe("/applicant");
  return sessionCookieFrom(signedIn)!;
}

/** The group's proposal, read by its new member on their home page and on the proposal's page. */
async function expectMemberReads(cookie: string, proposalId: string, title: string) {
  const home = await runLoader(applicantHomeLoader, getRequest("/applicant", { cookie }));
  expect(home.status).toBe(200);
  expect((await home.json()).proposals.map((p: { title: string }) => p.title)).toEqual([title]);
  const page = await runLoader(proposalLoader, getRequest(`/proposals/${proposalId}`, { cookie }), { proposalId });
  expect(page.status).toBe(200);
  expect((await page.json()).proposal.title).toBe(title);
}

/** Counts of what an invitation writes, for "nothing was written". */
async function writes() {
  return { invitations: await countOf("invitation"), emails: await countOf("email_outbox"), audit: await countOf("audit_event") };
}

describe("a group imported from CSV gets its first member by invitation, who then reads the group's proposals", () => {
  it("invited by the administrator from Community groups", async () => {
    const { organisationId, proposalId } = await importForNewGroup("Hartcliffe Allotment Society", "Raised beds for the allotment");

    const list = await runLoader(groupsLoader, getRequest("/admin/community-groups?q=allotment", { cookie: adminCookie }));
    expect(list.status).toBe(200);
    const listed = (await list.json()).groups.rows.find((g: { id: string }) => g.id === organisationId);
    expect(listed).toMatchObject({ name: "Hartcliffe Allotment Society", members: [], proposalCount: 1 });

    const page = await runLoader(groupAdminLoader, getRequest(`/admin/community-groups/${organisationId}`, { cookie: adminCookie }), { organisationId });
    expect(page.status).toBe(200);
    expect((await page.json()).members).toEqual([]);

    const invited = await runAction(
      groupAdminAction,
      await postForm(
        `/admin/community-groups/${organisationId}`,
        { inviteName: "Ruth Grower", inviteEmail: "Ruth@Allotment.example" },
        { cookie: adminCookie },
      ),
      { organisationId },
    );
    expect(invited.status).toBe(200);
    expect((await invited.json()).invitedTo).toBe("ruth@allotment.example");
    const invitation = await getDb().selectFrom("invitation").selectAll().where("email", "=", "ruth@allotment.example").executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({ role: "applicant", organisation_id: organisationId, invited_by: admin.id });
    expect(await auditEventsFor("invitation.created")).toEqual(
      expect.arrayContaining([expect.objectContaining({ entity_id: invitation.id, actor: admin.id })]),
    );

    const token = tokenFromLink((await emailsTo("ruth@allotment.example"))[0]!.body_text, "invitations");
    const invitationPage = await runLoader(invitationLoader, getRequest(`/invitations/${token}`), { token });
    expect((await invitationPage.json()).invitation).toMatchObject({ roleLabel: "Applicant, Hartcliffe Allotment Society", hasAccount: false });

    const cookie = await acceptAsNewPersonAndSignIn("ruth@allotment.example", "Ruth Grower");
    await expectMemberReads(cookie, proposalId, "Raised beds for the allotment");
    const after = await runLoader(groupAdminLoader, getRequest(`/admin/community-groups/${organisationId}`, { cookie: adminCookie }), { organisationId });
    expect((await after.json()).members.map((m: { name: string }) => m.name)).toEqual(["Ruth Grower"]);
  });

  it("invited by the lead organisation from the proposal's page", async () => {
    const { organisationId, proposalId } = await importForNewGroup("Withywood Bowls Club", "A level green for the bowls club");
    const leadCookie = await sessionCookieFor(leadStaff.id);
    const page = await runLoader(leadProposalLoader, getRequest(`/lead/proposals/${proposalId}`, { cookie: leadCookie }), { proposalId });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ canInvite: true, memberNames: [] });

    const invited = await runAction(
      leadProposalAction,
      await postForm(
        `/lead/proposals/${proposalId}`,
        { intent: "invite_member", inviteName: "Bob Bowler", inviteEmail: "bob@bowls.example" },
        { cookie: leadCookie },
      ),
      { proposalId },
    );
    expect(invited.status).toBe(200);
    expect(
      await getDb()
        .selectFrom("invitation")
        .select(["role", "organisation_id", "invited_by"])
        .where("email", "=", "bob@bowls.example")
        .executeTakeFirstOrThrow(),
    ).toEqual({
      role: "applicant",
      organisation_id: organisationId,
      invited_by: leadStaff.id,
    });

    const cookie = await acceptAsNewPersonAndSignIn("bob@bowls.example", "Bob Bowler");
    await expectMemberReads(cookie, proposalId, "A level green for the bowls club");
  });

  it("a lead organisation of another area is refused (403), and nothing is written", async () => {
    const { organisationId, proposalId } = await importForNewGroup("Stockwood Choir", "Risers for the choir");
    const cookie = await sessionCookieFor(otherLeadStaff.id);
    const before = await writes();
    const viaProposal = await runAction(
      leadProposalAction,
      await postForm(`/lead/proposals/${proposalId}`, { intent: "invite_member", inviteName: "Outsider", inviteEmail: "outsider@choir.example" }, { cookie }),
      { proposalId },
    );
    expect(viaProposal.status).toBe(403);
    const viaAdminPage = await runAction(
      groupAdminAction,
      await postForm(`/admin/community-groups/${organisationId}`, { inviteName: "Outsider", inviteEmail: "outsider@choir.example" }, { cookie }),
      { organisationId },
    );
    expect(viaAdminPage.status).toBe(403);
    await expect(inviteToGroup(getDb(), actorOf(otherLeadStaff), organisationId, { name: "Outsider", email: "outsider@choir.example" })).rejects.toThrow(
      DomainError,
    );
    expect(await writes()).toEqual(before);
    expect(await emailsTo("outsider@choir.example")).toEqual([]);
  });

  it("a lead organisation that recorded a group may invite into it even before it has a proposal in the lead's area", async () => {
    const recorded = await makeOrganisation({ name: "Recorded Offline Group" });
    await getDb().updateTable("organisation").set({ created_by: otherLeadStaff.id }).where("id", "=", recorded.id).execute();
    await inviteToGroup(getDb(), actorOf(otherLeadStaff), recorded.id, { name: "Rita", email: "rita@recorded.example" });
    expect(await emailsTo("rita@recorded.example")).toHaveLength(1);
    await expect(inviteToGroup(getDb(), actorOf(leadStaff), recorded.id, { name: "Rita", email: "rita2@recorded.example" })).rejects.toThrow(
      /cannot bring people into this group/,
    );
  });

  it("someone who already has an account is invited the same way, and accepting adds the group to their account", async () => {
    const { organisationId } = await importForNewGroup("Bishopsworth Scouts", "A new scout hut roof");
    const councillor = await makeUser({ role: "panel_member", decisionGroupId: group.id, email: "cllr@council.example" });
    const invited = await runAction(
      groupAdminAction,
      await postForm(`/admin/community-groups/${organisationId}`, { inviteName: "Cllr Smith", inviteEmail: "cllr@council.example" }, { cookie: adminCookie }),
      { organisationId },
    );
    expect(invited.status).toBe(200);
    const [email] = await emailsTo("cllr@council.example");
    expect(email!.body_text).toContain("You already have an account with this email address");
    const token = tokenFromLink(email!.body_text, "invitations");
    const accepted = await runAction(acceptAction, await postForm(`/invitations/${token}`, { name: "Cllr Smith", password: "correct horse battery staple" }), {
      token,
    });
    expect(accepted.status).toBe(302);
    const roles = await getDb().selectFrom("membership").select(["role", "organisation_id"]).where("user_id", "=", councillor.id).orderBy("role").execute();
    expect(roles).toEqual([
      { role: "applicant", organisation_id: organisationId },
      { role: "panel_member", organisation_id: null },
    ]);
  });

  it("bad input on the invitation forms is a 400 with a message on each field, keeping what was typed", async () => {
    const { organisationId, proposalId } = await importForNewGroup("Headley Park Litter Pickers", "Litter pickers and a store");
    const before = await writes();
    const admin400 = await runAction(
      groupAdminAction,
      await postForm(`/admin/community-groups/${organisationId}`, { inviteName: "", inviteEmail: "not-an-email" }, { cookie: adminCookie }),
      { organisationId },
    );
    expect(admin400.status).toBe(400);
    const adminBody = await admin400.json();
    expect(adminBody.errors).toEqual({
      inviteName: "Enter the person's full name",
      inviteEmail: "Enter an email address in the correct format, like name@example.com",
    });
    expect(adminBody.values.inviteEmail).toBe("not-an-email");

    const lead400 = await runAction(
      leadProposalAction,
      await postForm(
        `/lead/proposals/${proposalId}`,
        { intent: "invite_member", inviteName: "Pat", inviteEmail: "" },
        { cookie: await sessionCookieFor(leadStaff.id) },
      ),
      { proposalId },
    );
    expect(lead400.status).toBe(400);
    expect((await lead400.json()).errors).toEqual({ inviteEmail: "Enter the person's email address" });
    expect(await writes()).toEqual(before);
  });

  it("only administrators reach the Community groups pages", async () => {
    const cookie = await sessionCookieFor(leadStaff.id);
    expect((await runLoader(groupsLoader, getRequest("/admin/community-groups", { cookie }))).status).toBe(403);
  });
});

describe("setting up a group that is already on the portal offers to ask to join it", () => {
  const PROFILE = {
    intent: "profile",
    orgType: "charity",
    address: "1 Church Road\nBristol",
    postcode: "BS5 9QA",
    contactName: "Mo Member",
    contactEmail: "mo@example.org",
    contactPhone: "",
  };

  async function newPerson(email: string, name = "New Person") {
    const user = await makeUser({ email, name });
    return { user, cookie: await sessionCookieFor(user.id) };
  }

  // lower(): SQLite's like ignores case, PostgreSQL's does not.
  const groupsNamed = (name: string) =>
    getDb()
      .selectFrom("organisation")
      .select("id")
      .where((eb) => eb(eb.fn("lower", [eb.ref("name")]), "like", name.toLowerCase()))
      .execute();

  it("the same name (ignoring case, punctuation and 'the') or the same charity number shows the group instead of creating a second", async () => {
    const existing = await makeOrganisation({ name: "Easton Community Pantry" });
    await getDb().updateTable("organisation").set({ charity_number: "1187001" }).where("id", "=", existing.id).execute();
    const { cookie } = await newPerson("pam@pantry.example");

    const byName = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, name: "The Easton Community Pantry!", registrationNumber: "1199999" }, { cookie }),
    );
    expect(byName.status).toBe(200);
    const body = await byName.json();
    expect(body.duplicates).toEqual([{ id: existing.id, name: "Easton Community Pantry", postcode: null, reasons: ["name"] }]);
    expect(body.values.name).toBe("The Easton Community Pantry!");

    const byNumber = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, name: "Pantry on Stapleton Road", registrationNumber: "1187 001" }, { cookie }),
    );
    expect(byNumber.status).toBe(200);
    expect((await byNumber.json()).duplicates).toEqual([expect.objectContaining({ id: existing.id, reasons: ["number"] })]);

    expect(await groupsNamed("%pantry%")).toEqual([{ id: existing.id }]);
  });

  it("asking to join tells the group's members and its lead organisation, and an approval makes the person a member", async () => {
    const { organisationId, proposalId } = await importForNewGroup("Knowle Community Kitchen", "Ovens for the community kitchen");
    const member = await makeUser({ organisationId, email: "kay@kitchen.example", name: "Kay Cook" });
    const { user: asker, cookie } = await newPerson("sam@kitchen.example", "Sam Asker");

    const asked = await runAction(
      groupAction,
      await postForm(
        "/applicant/group",
        { ...PROFILE, intent: "join", name: "knowle community kitchen", organisationId, message: "I run the Tuesday lunch." },
        { cookie },
      ),
    );
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/applicant/group?saved=requested");
    const request = await getDb().selectFrom("join_request").selectAll().where("user_id", "=", asker.id).executeTakeFirstOrThrow();
    expect(request).toMatchObject({
      organisation_id: organisationId,
      status: "pending",
      name_given: "knowle community kitchen",
      message: "I run the Tuesday lunch.",
    });
    expect(await auditEventsFor("join_request.created")).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: request.id, actor: asker.id })]));
    for (const told of [member.email, leadStaff.email]) {
      const email = (await emailsTo(told)).find((e) => e.subject === "Sam Asker asks to join Knowle Community Kitchen");
      expect(email?.body_text).toContain(`http://localhost/join-requests/${request.id}`);
    }
    expect(await groupsNamed("Knowle Community Kitchen")).toHaveLength(1);

    // The asker sees it waiting; the lead organisation sees it on its queue page; another area's lead organisation cannot open it.
    expect((await (await runLoader(groupLoader, getRequest("/applicant/group", { cookie }))).json()).joinRequests).toEqual([
      expect.objectContaining({ groupName: "Knowle Community Kitchen", status: "pending" }),
    ]);
    const leadCookie = await sessionCookieFor(leadStaff.id);
    expect((await (await runLoader(leadHomeLoader, getRequest("/lead", { cookie: leadCookie }))).json()).joinRequests).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: request.id, requesterName: "Sam Asker" })]),
    );
    const params = { requestId: request.id };
    expect(
      (await runLoader(joinLoader, getRequest(`/join-requests/${request.id}`, { cookie: await sessionCookieFor(otherLeadStaff.id) }), params)).status,
    ).toBe(403);
    const refusedPost = await runAction(
      joinAction,
      await postForm(`/join-requests/${request.id}`, { intent: "approve" }, { cookie: await sessionCookieFor(otherLeadStaff.id) }),
      params,
    );
    expect(refusedPost.status).toBe(403);

    // Asking twice is refused; refusing without a reason is a 400.
    const again = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, intent: "join", name: "Knowle Community Kitchen", organisationId }, { cookie }),
    );
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toMatch(/already asked to join Knowle Community Kitchen/);
    const noReason = await runAction(
      joinAction,
      await postForm(`/join-requests/${request.id}`, { intent: "refuse", reason: " " }, { cookie: leadCookie }),
      params,
    );
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).errors).toEqual({ reason: "Write the reason you are refusing the request" });

    // The group's own member approves.
    const memberCookie = await sessionCookieFor(member.id);
    expect((await runLoader(joinLoader, getRequest(`/join-requests/${request.id}`, { cookie: memberCookie }), params)).status).toBe(200);
    const approved = await runAction(joinAction, await postForm(`/join-requests/${request.id}`, { intent: "approve" }, { cookie: memberCookie }), params);
    expect(approved.status).toBe(302);
    const decided = await getDb().selectFrom("join_request").selectAll().where("id", "=", request.id).executeTakeFirstOrThrow();
    expect(decided).toMatchObject({ status: "approved", decided_by: member.id, membership_id: expect.any(String) });
    expect(await auditEventsFor("join_request.approved")).toEqual(
      expect.arrayContaining([expect.objectContaining({ entity_id: request.id, actor: member.id })]),
    );
    expect((await emailsTo(asker.email)).map((e) => e.subject)).toContain("You are now a member of Knowle Community Kitchen");
    await expectMemberReads(cookie, proposalId, "Ovens for the community kitchen");

    const twice = await runAction(joinAction, await postForm(`/join-requests/${request.id}`, { intent: "approve" }, { cookie: memberCookie }), params);
    expect(twice.status).toBe(400);
  });

  it("the administrator refuses a request with a reason the person reads", async () => {
    const existing = await makeOrganisation({ name: "Filwood Gardeners" });
    const { user: asker, cookie } = await newPerson("ali@filwood.example", "Ali Asker");
    await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, intent: "join", name: "Filwood Gardeners", organisationId: existing.id }, { cookie }),
    );
    const request = await getDb().selectFrom("join_request").selectAll().where("user_id", "=", asker.id).executeTakeFirstOrThrow();
    // A group with no lead organisation and no members: the administrators are told.
    expect((await emailsTo(admin.email)).map((e) => e.subject)).toContain("Ali Asker asks to join Filwood Gardeners");
    const list = await (await runLoader(groupsLoader, getRequest("/admin/community-groups", { cookie: adminCookie }))).json();
    expect(list.requests).toEqual(expect.arrayContaining([expect.objectContaining({ id: request.id, groupName: "Filwood Gardeners" })]));

    const refused = await runAction(
      joinAction,
      await postForm(`/join-requests/${request.id}`, { intent: "refuse", reason: "Nobody in the group knows you." }, { cookie: adminCookie }),
      { requestId: request.id },
    );
    expect(refused.status).toBe(302);
    expect(await getDb().selectFrom("join_request").select(["status", "refusal_reason"]).where("id", "=", request.id).executeTakeFirstOrThrow()).toEqual({
      status: "refused",
      refusal_reason: "Nobody in the group knows you.",
    });
    const told = (await emailsTo(asker.email)).find((e) => e.subject === "Your request to join Filwood Gardeners");
    expect(told!.body_text).toContain("Nobody in the group knows you.");
    expect(await getDb().selectFrom("membership").select("id").where("user_id", "=", asker.id).execute()).toEqual([]);
  });

  it("'It's a different group' needs the box ticked, then creates the group and records what it was told apart from", async () => {
    const existing = await makeOrganisation({ name: "Redcliffe Rowing Club" });
    const { user, cookie } = await newPerson("rory@rowing.example");
    const profile = { ...PROFILE, intent: "different", name: "Redcliffe Rowing Club", registrationNumber: "1166001" };

    const unticked = await runAction(groupAction, await postForm("/applicant/group", profile, { cookie }));
    expect(unticked.status).toBe(400);
    const body = await unticked.json();
    expect(body.errors).toEqual({ confirmDifferent: "Tick the box to confirm your group is not the group shown" });
    expect(body.duplicates).toEqual([expect.objectContaining({ id: existing.id })]);
    expect(body.values.name).toBe("Redcliffe Rowing Club");
    expect(await groupsNamed("Redcliffe Rowing Club")).toHaveLength(1);

    const ticked = await runAction(groupAction, await postForm("/applicant/group", { ...profile, confirmDifferent: "yes" }, { cookie }));
    expect(ticked.status).toBe(302);
    expect(ticked.headers.get("Location")).toBe("/applicant/group?saved=created");
    const groups = await groupsNamed("Redcliffe Rowing Club");
    expect(groups).toHaveLength(2);
    const created = groups.find((g) => g.id !== existing.id)!;
    const [event] = (await auditEventsFor("organisation.created")).filter((e) => e.entity_id === created.id);
    expect(JSON.parse(event!.after!)).toMatchObject({ created_by: user.id, confirmed_different_from: [existing.id] });
  });

  it("bad input on the 'ask to join' form is a 400 with field errors, and nothing is written", async () => {
    const existing = await makeOrganisation({ name: "Lockleaze Voice" });
    const { cookie } = await newPerson("lou@lockleaze.example");
    const before = await countOf("audit_event");
    const tooLong = await runAction(
      groupAction,
      await postForm(
        "/applicant/group",
        { ...PROFILE, intent: "join", name: "Lockleaze Voice", organisationId: existing.id, message: "x".repeat(1001) },
        { cookie },
      ),
    );
    expect(tooLong.status).toBe(400);
    const body = await tooLong.json();
    expect(body.errors).toEqual({ message: "Your message must be 1,000 characters or fewer" });
    expect(body.duplicates).toEqual([expect.objectContaining({ id: existing.id })]);
    const noGroup = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, intent: "join", name: "Lockleaze Voice", organisationId: "" }, { cookie }),
    );
    expect(noGroup.status).toBe(400);
    expect((await noGroup.json()).errors).toEqual({ organisationId: "Choose the group you want to join" });
    const notAGroup = await runAction(
      groupAction,
      await postForm("/applicant/group", { ...PROFILE, intent: "join", name: "x", organisationId: leadStaff.organisation_id! }, { cookie }),
    );
    expect(notAGroup.status).toBe(400);
    expect((await notAGroup.json()).errors).toEqual({ organisationId: "Choose the group you want to join from the list" });
    expect(await countOf("audit_event")).toBe(before);
  });
});

describe("imports match groups by a stable identifier and refuse an ambiguous name", () => {
  it("a charity number goes to the group that has it, whatever name the spreadsheet uses", async () => {
    const right = await makeOrganisation({ name: "Lawrence Weston Youth Project" });
    await getDb().updateTable("organisation").set({ charity_number: "1122334" }).where("id", "=", right.id).execute();
    await makeOrganisation({ name: "LW Youth" });
    const result = await importProposals(
      getDb(),
      actorOf(admin),
      importCsv({ ...ROW, community_group: "LW Youth", community_group_identifier: "1122334", title: "A youth club minibus" }),
    );
    expect(result).toMatchObject({ ok: true, createdGroups: [] });
    const proposal = await getDb().selectFrom("proposal").select("organisation_id").where("title", "=", "A youth club minibus").executeTakeFirstOrThrow();
    expect(proposal.organisation_id).toBe(right.id);
  });

  it("a new group's number is recorded on it, so a later import finds it by that number", async () => {
    const first = await importProposals(
      getDb(),
      actorOf(admin),
      importCsv({ ...ROW, community_group: "Avonmouth Fishing Club", community_group_identifier: "1177001", title: "A fishing platform" }),
    );
    expect(first).toMatchObject({ ok: true, createdGroups: ["Avonmouth Fishing Club"] });
    const org = await getDb()
      .selectFrom("organisation")
      .select(["id", "registration_number"])
      .where("name", "=", "Avonmouth Fishing Club")
      .executeTakeFirstOrThrow();
    expect(org.registration_number).toBe("1177001");
    const second = await importProposals(
      getDb(),
      actorOf(admin),
      importCsv({ ...ROW, community_group: "Avonmouth Anglers", community_group_identifier: "1177001", title: "Life rings" }),
    );
    expect(second).toMatchObject({ ok: true, createdGroups: [] });
    expect((await getDb().selectFrom("proposal").select("organisation_id").where("title", "=", "Life rings").executeTakeFirstOrThrow()).organisation_id).toBe(
      org.id,
    );
  });

  it("a name two groups share is a row error and nothing is imported", async () => {
    await makeOrganisation({ name: "St Pauls Carnival Group" });
    await makeOrganisation({ name: "St. Paul's Carnival Group" });
    const before = await countOf("audit_event");
    const result = await importProposals(
      getDb(),
      actorOf(admin),
      importCsv({ ...ROW, community_group: "St Pauls Carnival Group", title: "Carnival costumes store" }),
    );
    expect(result).toEqual({
      ok: false,
      errors: ['Row 2: 2 groups are called "St Pauls Carnival Group": add the charity number or portal id in the community_group_identifier column'],
    });
    expect(await countOf("audit_event")).toBe(before);
  });

  it("a new group with a name like an existing one's is a warning in the check; the import needs the box ticked to create it", async () => {
    await makeOrganisation({ name: "Southmead Development Trust" });
    const text = importCsv({ ...ROW, community_group: "Southmead Community Development Trust", title: "A trust minibus" });
    const post = async (fields: Record<string, string>) => {
      const { token, cookie } = await csrfFor();
      const form = new FormData();
      form.append("csrf", token);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return runAction(
        importAction,
        new Request(`${ORIGIN}/admin/proposals/import`, { method: "POST", body: form, headers: { Origin: ORIGIN, Cookie: `${cookie}; ${adminCookie}` } }),
      );
    };
    const checked = await post({ csv: text, intent: "check" });
    expect(checked.status).toBe(200);
    const checkedBody = await checked.json();
    expect(checkedBody.checked).toEqual([expect.objectContaining({ communityGroupName: "Southmead Community Development Trust", isNewGroup: true })]);
    expect(checkedBody.warnings).toEqual([
      expect.stringMatching(/^Row 2: no community group is called "Southmead Community Development Trust".*"Southmead Development Trust" has a similar name/),
    ]);

    const unconfirmed = await post({ csv: text, intent: "import" });
    expect(unconfirmed.status).toBe(400);
    expect((await unconfirmed.json()).errors).toEqual({
      acceptWarnings: "Tick the box to create the new groups named in the warnings, or change the rows to use the existing groups",
    });
    expect(await getDb().selectFrom("proposal").select("id").where("title", "=", "A trust minibus").execute()).toEqual([]);

    const confirmed = await post({ csv: text, intent: "import", acceptWarnings: "yes" });
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()).createdGroups).toEqual(["Southmead Community Development Trust"]);
  });
});
