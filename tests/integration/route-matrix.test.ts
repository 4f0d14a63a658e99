import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { valuesOf } from "~/domain/forms/proposal";
import { penceToPoundsInput } from "~/domain/money";
import { contentOf } from "~/models/proposal.server";
import { getDb } from "~/utils/db.server";
import { getRequest, postForm, runAction, runLoader } from "../support/http";
import {
  buildRouteWorld,
  PERSONAS,
  SECRETS,
  tablesWrittenSince,
  watchWrites,
  writeMark,
  type Persona,
  type RouteWorld,
  type SignedInPersona,
} from "../support/route-world";

/**
 * The authorisation matrix (issue #8 item 5; docs/decisions/0014-access-policy.md).
 *
 * Every route module on disk is found here, so a new route cannot skip it: a
 * module without an entry in MATRIX fails "every route module has an entry",
 * naming the file. For each module, its loader and its action are tried by every
 * persona in tests/support/route-world.ts against records that belong to
 * community group A (decision group A, fund A, lead organisation A):
 *
 * - a persona the entry allows gets 200, a redirect (not to sign-in) or 400;
 * - anonymous gets sent to sign in, unless the route is public;
 * - everyone else gets 403 or 404, and a refused POST (a well-formed form with
 *   a valid CSRF token, what the page would send) writes nothing at all;
 * - nobody ever gets a 500.
 *
 * Allowed personas post an empty form (only the CSRF token), so they show the
 * route lets them in without changing the world the other cases rely on.
 * Secrets planted in private records (tests/support/route-world.ts) must show
 * in no response to a persona not allowed to read them, whatever its status.
 *
 * MATRIX_LOG=/tmp/matrix.tsv npx vitest run tests/integration/route-matrix.test.ts
 * writes every case's outcome (expected, status, redirect, tables written) there.
 */

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "route-matrix-uploads-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

// ---------------------------------------------------------------------------
// Route modules, found on disk (flat files and folder routes), as csrf.test.ts does.

type LoaderFn = (args: LoaderFunctionArgs) => Promise<Response> | Response;
type ActionFn = (args: ActionFunctionArgs) => Promise<Response> | Response;
type RouteModule = { loader?: LoaderFn; action?: ActionFn };

const ROUTES_DIR = fileURLToPath(new URL("../../app/routes/", import.meta.url));

/** Route id (the file or folder name, no extension) → file. */
function discoverRouteModules(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of fs.readdirSync(ROUTES_DIR, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const file = ["route.tsx", "route.ts", "route.jsx", "route.js"].map((f) => path.join(ROUTES_DIR, entry.name, f)).find((f) => fs.existsSync(f));
      if (file) found[entry.name] = file;
    } else if (/\.[jt]sx?$/.test(entry.name)) {
      found[entry.name.replace(/\.[jt]sx?$/, "")] = path.join(ROUTES_DIR, entry.name);
    }
  }
  return found;
}

const ROUTE_FILES = discoverRouteModules();
const MODULES: Record<string, RouteModule> = Object.fromEntries(
  await Promise.all(Object.entries(ROUTE_FILES).map(async ([id, file]) => [id, (await import(/* @vite-ignore */ file)) as RouteModule] as const)),
);

/** "admin.audit.export[.]csv" → ["admin", "audit", "export.csv"]: dots split segments except inside [ ]. */
function segmentsOf(routeId: string): string[] {
  const segments: string[] = [];
  let current = "";
  let depth = 0;
  for (const ch of routeId) {
    if (ch === "[") depth += 1;
    else if (ch === "]") depth -= 1;
    else if (ch === "." && depth === 0) {
      segments.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  segments.push(current);
  return segments;
}

/** The :params a route id takes ("*" for a splat). */
function paramNamesOf(routeId: string): string[] {
  return segmentsOf(routeId)
    .map((s) => s.replace(/_$/, "").replace(/^\((.*)\)$/, "$1"))
    .filter((s) => s.startsWith("$"))
    .map((s) => (s === "$" ? "*" : s.slice(1)));
}

/** The URL path for a route id with these params ("panel.meetings.$meetingId_.proposals.$proposalId" → /panel/meetings/m1/proposals/p1). */
function urlPathOf(routeId: string, params: Record<string, string>): string {
  const parts: string[] = [];
  for (const raw of segmentsOf(routeId)) {
    if (raw === "_index" || raw.startsWith("_")) continue; // index routes and pathless layouts add no segment
    const s = raw.replace(/_$/, "").replace(/^\((.*)\)$/, "$1");
    if (s === "$") parts.push(params["*"] ?? "");
    else if (s.startsWith("$")) parts.push(params[s.slice(1)] ?? "");
    else parts.push(s.replace(/\[(.*?)\]/g, "$1"));
  }
  return `/${parts.join("/")}`;
}

// ---------------------------------------------------------------------------
// Who may use what.

const SIGNED_IN = (Object.keys(PERSONAS) as Persona[]).filter((p): p is SignedInPersona => p !== "anonymous");

interface Access {
  /** In words, for the failure message. */
  rule: string;
  /** The signed-in personas let in. */
  who: readonly SignedInPersona[];
  /** What anonymous gets: the page ("allowed"), a redirect to sign in ("login"), or 403/404 ("denied"). */
  anonymous: "allowed" | "login" | "denied";
  /** Statuses that also count as refused, besides 403 and 404. */
  alsoRefused?: readonly number[];
}

const access = (rule: string, who: readonly SignedInPersona[], anonymous: Access["anonymous"] = "login", alsoRefused?: number[]): Access => ({
  rule,
  who,
  anonymous,
  alsoRefused,
});

/** The rules, named. Records are always group A's; the personas are in tests/support/route-world.ts. */
const WHO = {
  public: access("anyone, signed in or not", SIGNED_IN, "allowed"),
  signedIn: access("anyone signed in (their own page)", SIGNED_IN),
  nobody: access("nobody (404 for everyone)", [], "denied"),
  adminPreview: access("administrators only, as a preview: it is not published, so 404 for everyone else", ["admin"], "denied"),
  admin: access("administrators", ["admin"]),
  applicants: access("applicants, each for their own group", ["otherApplicant", "owner"]),
  leadOrgs: access("lead organisations, each for their own area", ["otherLead", "areaLead"]),
  panelMembers: access("panel members, each for their own panel", ["otherPanel", "recused", "chair", "scorer"]),
  advisers: access("advisers, each for their own group or fund", ["otherAdviser", "groupAdviser", "fundAdviser"]),
  starters: access("applicants and lead organisations (starting proposals)", ["otherApplicant", "owner", "otherLead", "areaLead"]),
  meetingViewers: access("administrators and panel members (their own panel's meetings)", ["admin", "otherPanel", "recused", "chair", "scorer"]),
  ownGroup: access("the community group that owns the record", ["owner"]),
  ownGroupOrAdmin: access("the community group that owns the record, and administrators", ["owner", "admin"]),
  ownGroupOrArea: access("the owning community group and the area's lead organisation", ["owner", "areaLead"]),
  ownGroupAreaOrAdmin: access("the owning community group, the area's lead organisation and administrators", ["owner", "areaLead", "admin"]),
  area: access("the lead organisations that serve the record's decision group", ["areaLead"]),
  noLeadYet: access("no lead organisation until the group submits it (the page is only for lead organisations)", []),
  proposalReaders: access("the owning group, its area's lead organisation and administrators", ["owner", "areaLead", "admin"]),
  proposalReadersInReview: access(
    "the owning group, its area's lead organisation, the group's panel members not recused from it, its advisers (the group's and the fund's) and administrators",
    ["owner", "areaLead", "chair", "scorer", "groupAdviser", "fundAdviser", "admin"],
  ),
  groupPanel: access("the group's panel members not recused from the proposal", ["chair", "scorer"]),
  groupPanelOrAdmin: access("the group's panel members not recused from the proposal, and administrators", ["chair", "scorer", "admin"]),
  groupMeeting: access("administrators and the group's panel (recusal applies per agenda item)", ["chair", "scorer", "recused", "admin"]),
  groupAdviser: access("the group's advisers, and its fund's", ["groupAdviser", "fundAdviser"]),
  groupResults: access("administrators and the group's panel (who see figures only once scoring closes)", ["chair", "scorer", "recused", "admin"]),
  groupDecider: access("administrators and the group's chair (who sees no scores until scoring closes: checked at the end)", ["admin", "chair"]),
  fundBParticipants: access("the people who took part in fund B: its panel, the community group that applied and its lead organisation", [
    "otherPanel",
    "otherApplicant",
    "otherLead",
  ]),
  fundParticipants: access("the fund's panel members and applicants (equality monitoring)", ["owner", "recused", "chair", "scorer"]),
  ownRecordsOnly: access(
    "anyone signed in, but never with someone else's record in the form: refused (400, 403 or 404) and nothing written",
    [],
    "login",
    [400],
  ),
} satisfies Record<string, Access>;

interface RouteCase {
  /** What the params point at, when a module is tried on more than one record. */
  record?: string;
  params?: (w: RouteWorld) => Record<string, string>;
  /** Who may use the loader (required when the module exports one). */
  loader?: Access;
  /** Who may use the action (required when the module exports one). */
  action?: Access;
  /** The well-formed form a refused persona sends: what the page would post. */
  form?: (w: RouteWorld) => Record<string, string>;
  /** Statuses an allowed persona may also get (open data that is not ready is a 404). */
  alsoOk?: readonly number[];
  /** Each POST gets its own session (signing out ends it). */
  freshSession?: boolean;
}

/** The proposal form with a proposal's saved content, as the edit page fills it. */
async function proposalForm(proposalId: string, intent: string): Promise<Record<string, string>> {
  const row = await getDb().selectFrom("proposal").selectAll().where("id", "=", proposalId).executeTakeFirstOrThrow();
  return { ...valuesOf(contentOf(row), penceToPoundsInput), intent, groupConfirmation: "yes" };
}
const proposalForms: Record<string, Record<string, string>> = {};

const anAward = (w: RouteWorld) => ({ awardId: w.award.awardId });
const aFund = (w: RouteWorld) => ({ fundId: w.fundA.id });
const theGroup = (w: RouteWorld) => ({ groupId: w.groupA.id });

/**
 * Every route module, keyed by its file name without the extension: who may use
 * its loader and action, and which of group A's records to ask for. A new route
 * file needs an entry here.
 */
const MATRIX: Record<string, RouteCase | RouteCase[]> = {
  // Public pages and the account pages.
  $: { params: () => ({ "*": "no/such/page" }), loader: WHO.nobody, action: WHO.nobody },
  _index: { loader: WHO.public },
  healthz: { loader: WHO.public },
  "funds._index": { loader: WHO.public },
  "funds.$fundId._index": [
    { record: "a published fund", params: aFund, loader: WHO.public },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.adminPreview },
  ],
  "funds.$fundId.results": [
    { record: "published results", params: (w) => ({ fundId: w.fundB.id }), loader: WHO.public },
    { record: "results not yet published", params: aFund, loader: WHO.adminPreview },
  ],
  "funds.$fundId.results_.$groupId": [
    { record: "a group's published results", params: (w) => ({ fundId: w.fundB.id, groupId: w.groupB.id }), loader: WHO.public },
    { record: "a group's results not yet published", params: (w) => ({ fundId: w.fundA.id, groupId: w.groupA.id }), loader: WHO.adminPreview },
    // A group of another fund is not part of this fund's results, even for an administrator.
    { record: "another fund's group", params: (w) => ({ fundId: w.fundB.id, groupId: w.groupA.id }), loader: WHO.nobody },
  ],
  "funds.$fundId.teams": [
    { record: "a published fund", params: aFund, loader: WHO.public },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.adminPreview },
  ],
  "funds.$fundId.you-said-we-did": [
    { record: "a published fund", params: aFund, loader: WHO.public },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.adminPreview },
  ],
  "funds.$fundId.360giving[.]json": [
    { record: "a published fund", params: aFund, loader: WHO.public, alsoOk: [404] },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.nobody },
  ],
  // The community vote's frozen rules: public once a vote has opened (fund A has none: 404).
  "funds.$fundId.ballot-rules[.]json": [
    { record: "a published fund", params: aFund, loader: WHO.public, alsoOk: [404] },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.nobody },
  ],
  // The community vote's pages, for residents without accounts (a voter session of their own, never a staff session).
  // Fund A has no vote, so they are 404 for everyone; tests/integration/community-ballot-*.test.ts try them on a fund that has one.
  ...Object.fromEntries(
    ["funds.$fundId.vote._index", "funds.$fundId.vote.join", "funds.$fundId.vote.confirm", "funds.$fundId.vote.code", "funds.$fundId.vote.about-you"].map(
      (id) => [
        id,
        [
          { record: "a fund without a vote", params: aFund, loader: WHO.public, action: WHO.public, alsoOk: [404] },
          { record: "an unpublished fund", params: (w: RouteWorld) => ({ fundId: w.hiddenFund.id }), loader: WHO.nobody, action: WHO.nobody },
        ],
      ],
    ),
  ),
  // A counted vote's results and recount files: public after the count (fund A has no vote: 404).
  "funds.$fundId.vote.results": [
    { record: "a fund without a vote", params: aFund, loader: WHO.public, alsoOk: [404] },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.nobody },
  ],
  "funds.$fundId.vote.ballots.$file": [
    { record: "a fund without a vote", params: (w) => ({ fundId: w.fundA.id, file: "pot.pb" }), loader: WHO.public, alsoOk: [404] },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id, file: "pot.pb" }), loader: WHO.nobody },
  ],
  "funds.$fundId.360giving[.]csv": [
    { record: "a published fund", params: aFund, loader: WHO.public, alsoOk: [404] },
    { record: "an unpublished fund", params: (w) => ({ fundId: w.hiddenFund.id }), loader: WHO.nobody },
  ],
  // The survey after decisions: fund B's results are published, so its panel, applicant group and lead organisation may answer.
  "survey.$fundId": {
    record: "a fund whose results are published",
    params: (w) => ({ fundId: w.fundB.id }),
    loader: WHO.fundBParticipants,
    action: WHO.fundBParticipants,
    form: () => ({ takePartAgain: "yes", gainedConfidence: "yes", feltListenedTo: "yes", feedbackUseful: "yes" }),
  },
  // Public meetings (issue 13): group A's is run by its chair and the administrators; the room joins at /meet without accounts.
  "public-meetings._index": {
    loader: WHO.groupDecider,
    action: WHO.groupDecider,
    form: (w) => ({ scope: `${w.fundA.id}:${w.groupA.id}`, title: "Outsiders' meeting", venue: "Elsewhere", startsAt: "2027-03-01T18:30", admission: "open" }),
  },
  "public-meetings.$meetingId": {
    record: "group A's public meeting",
    params: (w) => ({ meetingId: w.publicMeetingId }),
    loader: WHO.groupDecider,
    action: WHO.groupDecider,
    form: () => ({ intent: "question", title: "An outsider's question?", rule: "majority" }),
  },
  "meet._index": { action: WHO.public },
  // Without an attendee session these send everyone to /meet (no account is ever needed, nor enough).
  "meet.$meetingId._index": { params: (w) => ({ meetingId: w.publicMeetingId }), loader: WHO.public, action: WHO.public },
  "meet.$meetingId.counted": { params: (w) => ({ meetingId: w.publicMeetingId }), loader: WHO.public },
  "projector.$meetingId._index": { params: (w) => ({ meetingId: w.publicMeetingId }), loader: WHO.public },
  // The live feed never ends, so the matrix asks for a meeting that does not exist; tests/integration/public-meetings.test.ts reads a real one.
  "projector.$meetingId.events": { params: () => ({ meetingId: "no-such-meeting" }), loader: WHO.nobody },
  // Minutes not yet published: 404 for everyone.
  "funds.$fundId.meetings.$meetingId": { params: (w) => ({ fundId: w.fundA.id, meetingId: w.publicMeetingId }), loader: WHO.nobody },
  login: { loader: WHO.public, action: WHO.public },
  // The second step of signing in: without a pending sign-in (a right password a moment ago) it sends everyone to /login.
  "login_.code": { loader: WHO.public, action: WHO.public },
  "account.two-factor": { loader: WHO.signedIn, action: WHO.signedIn },
  logout: { loader: WHO.public, action: WHO.public, freshSession: true },
  register: { loader: WHO.public, action: WHO.public },
  "forgot-password": { action: WHO.public },
  // The token is the secret: whoever holds it may use the page; the form must be filled in (400 when empty).
  "invitations.$token": { record: "someone else's invitation", params: (w) => ({ token: w.invitationToken }), loader: WHO.public, action: WHO.public },
  "reset-password.$token": { record: "owner A's reset link", params: (w) => ({ token: w.resetToken }), loader: WHO.public, action: WHO.public },
  // The first to press the button creates the account (302); the link is used up for everyone after (400).
  "register_.confirm.$token": {
    record: "someone's registration link",
    params: (w) => ({ token: w.registrationToken }),
    loader: WHO.public,
    action: WHO.public,
  },
  "account.sessions": {
    loader: WHO.signedIn,
    action: WHO.ownRecordsOnly,
    form: (w) => ({ intent: "end", sessionId: w.bystanderSessionId }),
  },
  home: {
    loader: WHO.signedIn,
    action: WHO.ownRecordsOnly,
    form: (w) => ({ membershipId: w.bystander.membershipId! }),
  },

  // Applicants.
  "applicant._index": { loader: WHO.applicants },
  "applicant.group": { loader: WHO.signedIn, action: WHO.signedIn },
  "proposals.new": { loader: WHO.starters, action: WHO.starters, form: (w) => ({ decisionGroupId: w.groupA.id }) },
  "proposals.$proposalId._index": [
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id }),
      loader: WHO.ownGroupOrAdmin,
      action: WHO.ownGroup,
      form: () => ({ reply: "A reply from outside" }),
    },
    {
      record: "a submitted proposal",
      params: (w) => ({ proposalId: w.submitted.id }),
      loader: WHO.proposalReaders,
      action: WHO.ownGroup,
      form: () => ({ reply: "A reply from outside" }),
    },
    {
      record: "a proposal under review",
      params: (w) => ({ proposalId: w.review.id }),
      loader: WHO.proposalReadersInReview,
      action: WHO.ownGroup,
      form: () => ({ reply: "A reply from outside" }),
    },
  ],
  // The task list: its only form hands a prepared draft to the group.
  "proposals.$proposalId.edit": [
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id }),
      loader: WHO.ownGroup,
      action: WHO.ownGroup,
      form: () => ({ intent: "hand_to_group" }),
    },
    {
      record: "a draft lead A prepared",
      params: (w) => ({ proposalId: w.prepared.id }),
      loader: WHO.ownGroupOrArea,
      action: WHO.ownGroupOrArea,
      form: () => ({ intent: "hand_to_group" }),
    },
  ],
  // One section of the task list, saved on its own.
  "proposals.$proposalId.sections.$section": [
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id, section: "about" }),
      loader: WHO.ownGroup,
      action: WHO.ownGroup,
      form: () => ({ intent: "save", title: "Taken over" }),
    },
    {
      record: "a draft lead A prepared",
      params: (w) => ({ proposalId: w.prepared.id, section: "budget" }),
      loader: WHO.ownGroupOrArea,
      action: WHO.ownGroupOrArea,
      form: () => ({ intent: "add-row", "budgetLines[0].item": "Taken over", "budgetLines[0].cost": "100" }),
    },
  ],
  // "Check your answers", where the proposal is sent.
  "proposals.$proposalId.check": [
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id }),
      loader: WHO.ownGroup,
      action: WHO.ownGroup,
      form: () => ({ intent: "submit", groupConfirmation: "yes" }),
    },
    {
      record: "a draft lead A prepared",
      params: (w) => ({ proposalId: w.prepared.id }),
      loader: WHO.ownGroupOrArea,
      action: WHO.ownGroupOrArea,
      form: () => ({ intent: "submit", groupConfirmation: "yes" }),
    },
  ],
  "proposals.$proposalId.attachments": [
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id }),
      loader: WHO.ownGroup,
      action: WHO.ownGroup,
      form: (w) => ({ intent: "remove", attachmentId: w.draftAttachment }),
    },
    {
      record: "a proposal under review",
      params: (w) => ({ proposalId: w.review.id }),
      loader: WHO.ownGroupOrArea,
      action: WHO.ownGroupOrArea,
      form: (w) => ({ intent: "remove", attachmentId: w.reviewAttachment }),
    },
  ],
  "proposals.$proposalId.versions": [
    { record: "a draft the group wrote", params: (w) => ({ proposalId: w.draft.id }), loader: WHO.ownGroupOrAdmin },
    { record: "a proposal under review", params: (w) => ({ proposalId: w.review.id }), loader: WHO.proposalReadersInReview },
  ],
  "proposals.$proposalId.questions.$questionId": {
    record: "the panel's question on a proposal under review",
    params: (w) => ({ proposalId: w.review.id, questionId: w.questionId }),
    loader: WHO.ownGroup,
    action: WHO.ownGroup,
    form: () => ({ answer: "An answer from outside" }),
  },
  "attachments.$attachmentId": [
    { record: "a file on a draft the group wrote", params: (w) => ({ attachmentId: w.draftAttachment }), loader: WHO.ownGroupOrAdmin },
    { record: "a file on a proposal under review", params: (w) => ({ attachmentId: w.reviewAttachment }), loader: WHO.proposalReadersInReview },
  ],

  // Lead organisations.
  "lead._index": { loader: WHO.leadOrgs },
  "lead.proposals.$proposalId": [
    {
      record: "a submitted proposal",
      params: (w) => ({ proposalId: w.submitted.id }),
      loader: WHO.area,
      action: WHO.area,
      form: () => ({ intent: "support", statement: "We support this proposal." }),
    },
    {
      record: "a draft the group wrote",
      params: (w) => ({ proposalId: w.draft.id }),
      loader: WHO.noLeadYet,
      action: WHO.noLeadYet,
      form: () => ({ intent: "hand_to_group", handNote: "Over to you." }),
    },
  ],

  // Panel members.
  "panel._index": { loader: WHO.panelMembers },
  "panel.interests": { loader: WHO.panelMembers, action: WHO.panelMembers, form: () => ({ intent: "nothing" }) },
  "panel.name": { loader: WHO.panelMembers, action: WHO.panelMembers, form: () => ({ isPublic: "yes" }) },
  "panel.results": { loader: WHO.panelMembers },
  "panel.proposals.$proposalId": {
    record: "a proposal under review",
    params: (w) => ({ proposalId: w.review.id }),
    loader: WHO.groupPanel,
    action: WHO.groupPanel,
    form: () => ({ intent: "ask", question: "How many people will use the hall?" }),
  },
  "panel.meetings._index": {
    loader: WHO.meetingViewers,
    action: WHO.meetingViewers,
    form: (w) => ({ title: "An extra meeting", heldOn: "2027-04-01", groupId: w.groupA.id }),
  },
  "panel.meetings.$meetingId": {
    record: "group A's meeting",
    params: (w) => ({ meetingId: w.meeting.id }),
    loader: WHO.groupMeeting,
    action: WHO.groupMeeting,
    form: () => ({ intent: "close", minutes: "The meeting closed." }),
  },
  "panel.meetings.$meetingId_.proposals.$proposalId": {
    record: "a proposal under review on group A's meeting",
    params: (w) => ({ meetingId: w.meeting.id, proposalId: w.review.id }),
    loader: WHO.groupPanelOrAdmin,
    action: WHO.groupPanelOrAdmin,
    form: () => ({ intent: "note", body: "A note from outside." }),
  },

  // Advisers.
  "adviser._index": { loader: WHO.advisers },
  "adviser.proposals.$proposalId": {
    record: "a proposal under review",
    params: (w) => ({ proposalId: w.review.id }),
    loader: WHO.groupAdviser,
    action: WHO.groupAdviser,
    form: () => ({ feasibility: "Not feasible.", costRealism: "Too dear.", risks: "Many." }),
  },

  // The funded group's award pages.
  "awards.$awardId._index": {
    record: "group A's award",
    params: anAward,
    loader: WHO.ownGroupOrAdmin,
    action: WHO.ownGroupOrAdmin,
    form: (w) => ({ intent: "evidence", conditionId: w.award.conditionIds[0]!, note: "Evidence from outside." }),
  },
  "awards.$awardId.offer": { record: "group A's award", params: anAward, loader: WHO.ownGroupOrAdmin },
  "awards.$awardId.refine": { record: "group A's award", params: anAward, loader: WHO.ownGroup, action: WHO.ownGroup, form: () => proposalForms.award! },
  "awards.$awardId.reports._index": { record: "group A's award", params: anAward, loader: WHO.ownGroup },
  "awards.$awardId.reports.$reportId": {
    record: "a report due on group A's award",
    params: (w) => ({ awardId: w.award.awardId, reportId: w.reportId }),
    loader: WHO.ownGroup,
    action: WHO.ownGroup,
    form: () => ({ progress: "Progress from outside.", "spend[0]": "100", "achieved[0]": "Nothing" }),
  },
  "awards.$awardId.variations": {
    record: "group A's award",
    params: anAward,
    loader: WHO.ownGroup,
    action: WHO.ownGroup,
    form: () => ({ kind: "timeline", endDate: "2028-03-31", reason: "A change from outside." }),
  },
  "join-requests.$requestId": {
    record: "someone's request to join group A",
    params: (w) => ({ requestId: w.joinRequestId }),
    loader: WHO.ownGroupAreaOrAdmin,
    action: WHO.ownGroupAreaOrAdmin,
    form: () => ({ intent: "approve" }),
  },
  "award-files.$fileId": { record: "evidence for group A's award", params: (w) => ({ fileId: w.awardFileId }), loader: WHO.ownGroupOrAdmin },

  // Decision group pages shared by administrators and the panel.
  "admin.groups.$groupId.results": { record: "group A", params: theGroup, loader: WHO.groupResults },
  "admin.groups.$groupId.decisions": {
    record: "group A",
    params: theGroup,
    loader: WHO.groupDecider,
    action: WHO.groupDecider,
    form: (w) => ({ proposalId: w.review2.id, outcome: "not_funded", reason: "The panel preferred other projects." }),
  },
  "admin.groups.$groupId.allocation": { record: "group A", params: theGroup, loader: WHO.groupDecider, action: WHO.groupDecider, form: () => ({}) },
  "admin.groups.$groupId.decisions_.all": { record: "group A", params: theGroup, loader: WHO.groupDecider, action: WHO.groupDecider, form: () => ({}) },

  // Administrators only.
  "admin._index": { loader: WHO.admin },
  "admin.audit": { loader: WHO.admin },
  "admin.audit.export[.]csv": { loader: WHO.admin },
  "admin.dashboard": { loader: WHO.admin },
  "admin.outbox": { loader: WHO.admin },
  "admin.awards._index": { loader: WHO.admin, action: WHO.admin, form: (w) => ({ proposalId: w.review2.id }) },
  "admin.awards.export[.]csv": { loader: WHO.admin },
  "admin.awards.$awardId._index": {
    params: anAward,
    loader: WHO.admin,
    action: WHO.admin,
    form: (w) => ({ intent: "sign_off", conditionId: w.award.conditionIds[0]! }),
  },
  "admin.awards.$awardId.close": {
    params: anAward,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "withdraw", reason: "Withdrawn from outside.", clawback: "0" }),
  },
  "admin.awards.$awardId.payments": {
    params: anAward,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "record", amount: "100", paidOn: "2027-01-10", reference: "BACS-OUTSIDE" }),
  },
  "admin.awards.$awardId.reports": {
    params: anAward,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "add", kind: "progress", dueOn: "2027-09-30" }),
  },
  "admin.awards.$awardId.variations": {
    params: anAward,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "approve", variationId: "none", note: "" }),
  },
  "admin.payments": { loader: WHO.admin, action: WHO.admin, form: () => ({ intent: "approve", paymentId: "none" }) },
  "admin.payments.export[.]csv": { loader: WHO.admin },
  "admin.reports": { loader: WHO.admin, action: WHO.admin, form: () => ({}) },
  "admin.reports.export[.]csv": { loader: WHO.admin },
  "admin.funds._index": { loader: WHO.admin },
  "admin.funds.new": {
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "A fund from outside", purpose: "None.", type: "capital", budget: "1000" }),
  },
  "admin.funds.$fundId._index": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "Renamed", purpose: "None.", type: "capital", budget: "1000" }),
  },
  "admin.funds.$fundId.award-settings": { params: aFund, loader: WHO.admin, action: WHO.admin, form: () => ({ threshold: "1" }) },
  "admin.funds.$fundId.you-said-we-did": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ youSaid: "Outsiders said so.", weDid: "Nothing.", doneOn: "2026-11-30" }),
  },
  "admin.funds.$fundId.evaluation": { params: aFund, loader: WHO.admin, action: WHO.admin, form: () => ({ intent: "costs", runningCosts: "100" }) },
  "admin.funds.$fundId.evaluation[.]csv": { params: aFund, loader: WHO.admin },
  "admin.funds.$fundId.equality": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "question", text: "An outsider's question?", options: "Yes\nNo" }),
  },
  // The community vote's set-up: fund A is decided by its panel, so an allowed post is a 400 ("decided by a panel only").
  "admin.funds.$fundId.ballot": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({
      intent: "save",
      kind: "approval",
      maxChoices: "2",
      countingRule: "greedy",
      tieRule: "cheaper-then-more-votes-then-reference",
      opensAt: "2026-01-01T09:00",
      closesAt: "2030-01-01T09:00",
      prefixes: "BS5",
    }),
  },
  // Paper ballots and the participation report: administrators only, and only for a fund whose vote has opened (fund A has none: 404).
  ...Object.fromEntries(
    ["admin.funds.$fundId.ballot_.paper.key", "admin.funds.$fundId.ballot_.paper.venues"].map((id) => [
      id,
      { record: "a fund without a vote", params: aFund, loader: WHO.admin, action: WHO.admin, alsoOk: [404] },
    ]),
  ),
  ...Object.fromEntries(
    ["admin.funds.$fundId.ballot_.paper._index", "admin.funds.$fundId.ballot_.paper[.]csv", "admin.funds.$fundId.ballot_.participation"].map((id) => [
      id,
      { record: "a fund without a vote", params: aFund, loader: WHO.admin, alsoOk: [404] },
    ]),
  ),
  "admin.funds.$fundId.ballot_.paper.$paperId": {
    record: "a fund without a vote",
    params: (w) => ({ fundId: w.fundA.id, paperId: "no-such-paper" }),
    loader: WHO.admin,
    action: WHO.admin,
    alsoOk: [404],
  },
  "equality.$fundId": { params: aFund, loader: WHO.fundParticipants, action: WHO.fundParticipants, form: () => ({ as: "panel" }) },
  "admin.funds.$fundId.criteria": { params: aFund, loader: WHO.admin, action: WHO.admin, form: (w) => ({ intent: "remove", id: w.criterion.id }) },
  "admin.funds.$fundId.eligibility": { params: aFund, loader: WHO.admin, action: WHO.admin, form: () => ({ text: "Are you outside?", kind: "yes_no" }) },
  "admin.funds.$fundId.groups._index": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "A group from outside", area: "Nowhere", pot: "1000", minGrant: "0", maxGrant: "1000" }),
  },
  "admin.funds.$fundId.groups.$groupId": {
    params: (w) => ({ fundId: w.fundA.id, groupId: w.groupA.id }),
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "Renamed group", area: "Nowhere", pot: "1000", minGrant: "0", maxGrant: "1000" }),
  },
  "admin.funds.$fundId.next-round": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "Fund A, round 2", opensOn: "2028-01-01", closesOn: "2028-03-31" }),
  },
  "admin.funds.$fundId.invite-panel-back": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: (w) => ({ decisionGroupId: w.groupA.id, userId: w.member.id }),
  },
  "admin.funds.$fundId.panel-rules": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ scoreScaleMax: "3", votingMethod: "per_proposal", tieRule: "chair", quorumMinPresent: "1" }),
  },
  "admin.funds.$fundId.results": { params: aFund, loader: WHO.admin, action: WHO.admin, form: () => ({ intent: "publish" }) },
  "admin.groups.$groupId.panel": { params: theGroup, loader: WHO.admin, action: WHO.admin, form: (w) => ({ chairId: w.member.id }) },
  "admin.groups.$groupId.scoring": { params: theGroup, loader: WHO.admin, action: WHO.admin, form: () => ({ intent: "close" }) },
  "admin.community-groups": { loader: WHO.admin },
  // Community teams (docs/decisions/0048): community group A is fund A's team, so its member ("owner") is the team's.
  "admin.funds.$fundId.teams": {
    params: aFund,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "A new team", area: "Somewhere", termStartsOn: "2027-04-01", termEndsOn: "2028-03-31" }),
  },
  "admin.teams.$teamId": {
    params: (w) => w.team,
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ inviteName: "New Member", inviteEmail: "new-team-member@example.test" }),
  },
  "teams.$teamId._index": {
    params: (w) => w.team,
    loader: WHO.ownGroupOrAdmin,
    action: WHO.ownGroupOrAdmin,
    form: () => ({ title: "An idea", summary: "What it is.", area: "Area A" }),
  },
  "teams.$teamId.engagement": {
    params: (w) => w.team,
    loader: WHO.ownGroupOrAdmin,
    action: WHO.ownGroupOrAdmin,
    form: () => ({ engagedOn: "2027-05-14", area: "Area A", activity: "Door knocking", peopleCount: "12" }),
  },
  "teams.$teamId.support": {
    params: (w) => w.team,
    loader: WHO.ownGroupOrAdmin,
    action: WHO.ownGroupOrAdmin,
    form: () => ({ givenOn: "2027-03-14", kind: "mentoring", hours: "1", givenBy: "A mentor", notes: "Planning." }),
  },
  "teams.$teamId.ideas.$ideaId": {
    params: (w) => w.team,
    loader: WHO.ownGroupOrAdmin,
    action: WHO.ownGroupOrAdmin,
    form: () => ({ intent: "move", status: "developing" }),
  },
  "admin.community-groups.$organisationId": {
    params: (w) => ({ organisationId: w.orgA.id }),
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ inviteName: "Outsider", inviteEmail: "outsider-member@example.test" }),
  },
  "admin.invitations": { loader: WHO.admin, action: WHO.admin, form: () => ({ name: "Outsider", email: "outsider@example.test", role: "admin" }) },
  "admin.invitations_.bulk": {
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "send", keptCsv: "name,email,role,constituency,group\nOutsider,outsider-bulk@example.test,adviser,,Group A", confirmedCount: "1" }),
  },
  "admin.invitations_.bulk-template[.]csv": { loader: WHO.admin },
  "admin.organisations": {
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ name: "A lead organisation from outside", contactName: "Someone", contactEmail: "someone@example.test" }),
  },
  "admin.proposals.$proposalId": {
    params: (w) => ({ proposalId: w.submitted.id }),
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ intent: "eligible" }),
  },
  "admin.proposals.export[.]csv": { loader: WHO.admin },
  "admin.proposals.import-template[.]csv": { loader: WHO.admin },
  "admin.proposals.import": { loader: WHO.admin, action: WHO.admin, form: () => ({ intent: "import", csv: "title\nImported from outside" }) },
  "admin.screening": { loader: WHO.admin, action: WHO.admin, form: (w) => ({ intent: "eligible", proposalIds: w.submitted.id }) },
  "admin.users": { loader: WHO.admin, action: WHO.admin, form: (w) => ({ intent: "disable", userId: w.users.owner.id }) },
  // Personal data rights (UK GDPR): a bystander's page, so an erasure that got through would show as a write.
  "admin.people.$userId": {
    record: "a person's personal data",
    params: (w) => ({ userId: w.bystander.id }),
    loader: WHO.admin,
    action: WHO.admin,
    form: () => ({ reason: "Erasure from outside", confirm: "yes" }),
  },
  "admin.people.$userId.export[.]json": { record: "a person's personal data", params: (w) => ({ userId: w.bystander.id }), loader: WHO.admin },
};

/**
 * Cases that fail today because of a leak someone is fixing: each is an
 * it.fails until the fix lands, then comes out. Nothing else may be added here
 * to make the matrix pass. Issue #8's three leaks were fixed by 787e83f; their
 * cases are in the matrix (lead A on "a draft the group wrote"; the chair on
 * decisions and allocation) and in the describe block at the end.
 */
const KNOWN_LEAKS = new Set<string>([]);

// ---------------------------------------------------------------------------
// Running one case.

type Expectation = "allowed" | "login" | "refused";

function expectationFor(rule: Access, persona: Persona): Expectation {
  if (persona === "anonymous") return rule.anonymous === "allowed" ? "allowed" : rule.anonymous === "login" ? "login" : "refused";
  return rule.who.includes(persona) ? "allowed" : "refused";
}

/**
 * A loader or action's answer (body: the start of it, for messages; text: all of it, when it is text);
 * anything thrown that is not a Response is the 500 the server would send.
 */
async function answer(call: () => Promise<Response>): Promise<{ status: number; location: string | null; body: string; text: string }> {
  let response: Response;
  try {
    response = await call();
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { status: 500, location: null, body: message, text: message };
  }
  const type = response.headers.get("Content-Type") ?? "";
  const text = /json|text\/|csv/.test(type) || !type ? await response.clone().text() : "";
  return { status: response.status, location: response.headers.get("Location"), body: text ? text.slice(0, 160) : `(${type})`, text };
}

/** Which planted secrets each persona was shown, to check below that each one shows somewhere. */
const secretsShown = new Map<string, Set<Persona>>();

const isLoginRedirect = (a: { status: number; location: string | null }) => a.status === 302 && (a.location ?? "").startsWith("/login?redirectTo=");

let world: RouteWorld;

beforeAll(async () => {
  world = await buildRouteWorld();
  await watchWrites();
  proposalForms.award = await proposalForm(world.award.proposalId, "save");
});

const casesOf = (routeId: string): RouteCase[] => [MATRIX[routeId] ?? []].flat();
const caseKey = (method: "GET" | "POST", routeId: string, c: RouteCase, persona: Persona) =>
  `${method} ${routeId}${c.record ? ` [${c.record}]` : ""} as ${persona}`;

describe("the matrix covers every route module", () => {
  it("finds the route modules on disk (so the matrix cannot pass by finding nothing)", () => {
    expect(Object.keys(MODULES).length).toBeGreaterThanOrEqual(80);
    for (const known of ["login", "admin.users", "proposals.$proposalId.edit", "panel.meetings.$meetingId_.proposals.$proposalId", "$"])
      expect(Object.keys(MODULES)).toContain(known);
  });

  it("has an entry for every route module", () => {
    const missing = Object.keys(MODULES).filter((id) => !(id in MATRIX));
    expect(
      missing.map((id) => path.relative(process.cwd(), ROUTE_FILES[id]!)),
      `These route modules have no entry in MATRIX (tests/integration/route-matrix.test.ts). Add one saying who may use the loader and action, and which record params to try`,
    ).toEqual([]);
  });

  it("has no entry for a route module that is gone", () => {
    expect(Object.keys(MATRIX).filter((id) => !(id in MODULES))).toEqual([]);
  });

  it("says who may use every loader and action, and gives every :param", () => {
    const problems: string[] = [];
    for (const [id, mod] of Object.entries(MODULES)) {
      for (const c of casesOf(id)) {
        const label = `${id}${c.record ? ` [${c.record}]` : ""}`;
        if (mod.loader && !c.loader) problems.push(`${label}: no rule for its loader`);
        if (mod.action && !c.action) problems.push(`${label}: no rule for its action`);
        if (!mod.loader && c.loader) problems.push(`${label}: a loader rule, but the module has no loader`);
        if (!mod.action && c.action) problems.push(`${label}: an action rule, but the module has no action`);
      }
      if (casesOf(id).length && world) {
        for (const c of casesOf(id)) {
          const given = Object.keys(c.params?.(world) ?? {});
          for (const name of paramNamesOf(id)) if (!given.includes(name)) problems.push(`${id}: no value for :${name}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("sees a write when one happens (so a refused post cannot pass by the check seeing nothing)", async () => {
    const mark = await writeMark();
    await getDb().updateTable("organisation").set({ contact_name: "Checked" }).where("id", "=", world.offlineGroup.id).execute();
    expect(await tablesWrittenSince(mark)).toEqual(["organisation"]);
  });

  it("names no known leak that is not a case in the matrix", () => {
    const keys = new Set<string>();
    for (const [id, mod] of Object.entries(MODULES)) {
      for (const c of casesOf(id)) {
        for (const persona of Object.keys(PERSONAS) as Persona[]) {
          if (mod.loader) keys.add(caseKey("GET", id, c, persona));
          if (mod.action) keys.add(caseKey("POST", id, c, persona));
        }
      }
    }
    expect([...KNOWN_LEAKS].filter((k) => !keys.has(k))).toEqual([]);
  });
});

for (const [routeId, mod] of Object.entries(MODULES)) {
  if (!casesOf(routeId).length) continue; // reported by "has an entry for every route module"
  describe(routeId, () => {
    for (const c of casesOf(routeId)) {
      for (const method of ["GET", "POST"] as const) {
        const rule = method === "GET" ? c.loader : c.action;
        if (!rule || !(method === "GET" ? mod.loader : mod.action)) continue;
        for (const persona of Object.keys(PERSONAS) as Persona[]) {
          const key = caseKey(method, routeId, c, persona);
          const test = KNOWN_LEAKS.has(key) ? it.fails : it;
          test(`${method}${c.record ? ` [${c.record}]` : ""} as ${persona}`, async () => {
            const params = c.params?.(world) ?? {};
            const url = urlPathOf(routeId, params);
            const expected = expectationFor(rule, persona);
            let cookie: string | undefined;
            if (persona !== "anonymous") cookie = c.freshSession && method === "POST" ? await world.freshCookie(persona) : world.cookies[persona];

            let got: Awaited<ReturnType<typeof answer>>;
            let wrote: string[] = [];
            if (method === "GET") {
              got = await answer(() => runLoader(mod.loader!, getRequest(url, { cookie }), params));
            } else {
              const fields = expected === "allowed" ? {} : (c.form?.(world) ?? {});
              const mark = await writeMark();
              const request = await postForm(url, fields, { cookie });
              got = await answer(() => runAction(mod.action!, request, params));
              if (expected !== "allowed") wrote = await tablesWrittenSince(mark);
            }

            if (process.env.MATRIX_LOG)
              fs.appendFileSync(
                process.env.MATRIX_LOG,
                `${key}\t${expected}\t${got.status}\t${got.location ?? ""}\t${wrote.join(",")}\t${got.body.slice(0, 80).replace(/\s+/g, " ")}\n`,
              );
            const what = `${PERSONAS[persona]} got ${got.status}${got.location ? ` → ${got.location}` : ""} (${got.body}) from ${method} ${url}; the matrix says: ${rule.rule}`;
            expect(got.status, `500 for ${what}`).not.toBe(500);
            if (expected === "allowed") {
              expect([200, 302, 400, ...(c.alsoOk ?? [])], `expected to be let in: ${what}`).toContain(got.status);
              expect(isLoginRedirect(got), `sent to sign in although allowed: ${what}`).toBe(false);
            } else if (expected === "login") {
              expect(isLoginRedirect(got), `expected a redirect to sign in: ${what}`).toBe(true);
            } else {
              expect([403, 404, ...(rule.alsoRefused ?? [])], `expected 403 or 404: ${what}`).toContain(got.status);
            }
            expect(wrote, `a refused ${method} wrote to ${wrote.join(", ")}: ${what}`).toEqual([]);
            for (const secret of SECRETS) {
              if (!got.text.includes(secret.text)) continue;
              secretsShown.set(secret.text, (secretsShown.get(secret.text) ?? new Set()).add(persona));
              expect((secret.seenBy as readonly Persona[]).includes(persona), `${what}, and was shown ${secret.what}`).toBe(true);
            }
          });
        }
      }
    }
  });
}

describe("the planted secrets", () => {
  it("each shows to someone allowed to read it, so looking for them in every response means something", () => {
    const shown = Object.fromEntries(SECRETS.map((s) => [s.what, [...(secretsShown.get(s.text) ?? [])]]));
    for (const secret of SECRETS) expect(shown[secret.what], `${secret.what} was shown to nobody`).not.toEqual([]);
  });
});

/** Runs a loader as a persona. */
async function getAs(persona: SignedInPersona, routeId: string, params: Record<string, string> = {}) {
  return answer(() => runLoader(MODULES[routeId]!.loader!, getRequest(urlPathOf(routeId, params), { cookie: world.cookies[persona] }), params));
}

/** Runs an action as a persona with a well-formed form; returns its answer and the tables it wrote to. */
async function postAs(persona: SignedInPersona, routeId: string, params: Record<string, string>, fields: Record<string, string>) {
  const mark = await writeMark();
  const request = await postForm(urlPathOf(routeId, params), fields, { cookie: world.cookies[persona] });
  const got = await answer(() => runAction(MODULES[routeId]!.action!, request, params));
  return { ...got, wrote: await tablesWrittenSince(mark) };
}

describe("the three leaks issue #8 names, beyond what the matrix checks by status", () => {
  // (1) is in the matrix as lead A ("areaLead") on "a draft the group wrote": the edit, files, view and versions
  // pages and the file download. The matrix's POST to a section page saves; this one submits from "check your answers".
  it("(1) lead organisation A cannot submit a draft group A wrote itself", async () => {
    const params = { proposalId: world.draftToSubmit.id };
    const got = await postAs("areaLead", "proposals.$proposalId.check", params, { intent: "submit", groupConfirmation: "yes" });
    expect([403, 404], `lead A got ${got.status} ${got.location ?? got.body}`).toContain(got.status);
    expect(got.wrote).toEqual([]);
    // The control: the same form from the group's own member submits it, so the refusal above is not a bad form.
    const own = await postAs("owner", "proposals.$proposalId.check", params, { intent: "submit", groupConfirmation: "yes" });
    expect(own.location, own.body).toBe(`/proposals/${world.draftToSubmit.id}?submitted=1`);
  });

  // (2) The chair may open the decisions and allocation pages (the matrix), but not read anyone's scores there before scoring closes.
  it("(2) while scoring is open, the chair's decisions, allocation and results pages carry no scores; the administrator's do", async () => {
    const group = { groupId: world.groupA.id };
    const decisions = JSON.parse((await getAs("chair", "admin.groups.$groupId.decisions", group)).text) as {
      awaiting: { id: string; mean: number | null; recommendedPence: number | null }[];
    };
    expect(
      decisions.awaiting.map((a) => a.id),
      "the chair's decisions page lists the proposals awaiting a decision",
    ).toContain(world.review.id);
    expect(
      decisions.awaiting.filter((a) => a.mean !== null || a.recommendedPence !== null),
      "the chair's decisions page shows scores",
    ).toEqual([]);
    const allocation = JSON.parse((await getAs("chair", "admin.groups.$groupId.allocation", group)).text) as { allocation: unknown };
    expect(allocation.allocation, "the chair's allocation page shows a score-ranked recommendation").toBeNull();
    const results = JSON.parse((await getAs("chair", "admin.groups.$groupId.results", group)).text) as { results: unknown };
    expect(results.results, "the chair's results page shows scores").toBeNull();

    const forAdmin = JSON.parse((await getAs("admin", "admin.groups.$groupId.decisions", group)).text) as typeof decisions;
    expect(forAdmin.awaiting.find((a) => a.id === world.review.id)?.mean, "the administrator sees the mean score (the control)").not.toBeNull();
  });

  it("(3) a lead organisation cannot start a proposal for another area's community group that is on the portal", async () => {
    const got = await postAs("otherLead", "proposals.new", {}, { decisionGroupId: world.groupB.id, organisationId: world.orgA.id });
    expect([400, 403, 404], `lead B got ${got.status} ${got.location ?? got.body}`).toContain(got.status);
    expect(got.wrote).toEqual([]);
  });

  it("(3, the control) a lead organisation may start a proposal for a group in its area that is not on the portal yet", async () => {
    const got = await postAs("otherLead", "proposals.new", {}, { decisionGroupId: world.groupB.id, organisationId: world.offlineGroup.id });
    expect(got.status, got.body).toBe(302);
    expect(got.location).toMatch(/^\/proposals\/[^/]+\/edit$/);
  });
});

// Last, because it changes the world: group A's scoring closes.
describe("once group A's scoring has closed", () => {
  beforeAll(async () => {
    await getDb().updateTable("decision_group").set({ scoring_closed_at: new Date().toISOString() }).where("id", "=", world.groupA.id).execute();
  });

  it("the chair sees the scores on the decisions and allocation pages", async () => {
    const group = { groupId: world.groupA.id };
    const decisions = JSON.parse((await getAs("chair", "admin.groups.$groupId.decisions", group)).text) as { awaiting: { id: string; mean: number | null }[] };
    expect(decisions.awaiting.find((a) => a.id === world.review.id)?.mean).not.toBeNull();
    const allocation = JSON.parse((await getAs("chair", "admin.groups.$groupId.allocation", group)).text) as { allocation: unknown };
    expect(allocation.allocation).not.toBeNull();
  });

  it("members still may not, nor another group's panel", async () => {
    for (const persona of ["scorer", "recused", "otherPanel"] as const) {
      for (const routeId of ["admin.groups.$groupId.decisions", "admin.groups.$groupId.allocation"]) {
        expect([403, 404], `${routeId} as ${persona}`).toContain((await getAs(persona, routeId, { groupId: world.groupA.id })).status);
      }
    }
  });

  it("the results show the panel every proposal but the one a member is recused from", async () => {
    const title = world.review.title;
    const forChair = await getAs("chair", "admin.groups.$groupId.results", { groupId: world.groupA.id });
    expect(forChair.status).toBe(200);
    expect(forChair.text, "the chair's results should list the proposal").toContain(title);
    for (const routeId of ["admin.groups.$groupId.results", "panel.results"]) {
      const forRecused = await getAs("recused", routeId, routeId === "panel.results" ? {} : { groupId: world.groupA.id });
      expect(forRecused.status, `${routeId}: ${forRecused.body}`).toBe(200);
      expect(forRecused.text, `${routeId} shows the recused member the proposal they are recused from`).not.toContain(title);
    }
  });
});
