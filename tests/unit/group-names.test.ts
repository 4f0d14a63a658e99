import { describe, expect, it } from "vitest";
import { findDuplicateGroups, isSimilarGroupName, normaliseGroupName, normaliseRegistrationNumber } from "~/domain/group-names";
import { can, type Actor } from "~/domain/permissions";
import { IMPORT_COLUMN_NAMES, validateImport, type ImportContext } from "~/domain/proposal-import";

describe("telling whether a group is already on the portal", () => {
  it("compares names ignoring case, accents, punctuation and the word 'the'", () => {
    expect(normaliseGroupName("The Easton Repair Café!")).toBe("easton repair cafe");
    expect(normaliseGroupName("easton  repair-cafe")).toBe("easton repair cafe");
    expect(normaliseGroupName("Friends of St. Werburgh's & Montpelier")).toBe("friends of st werburghs and montpelier");
  });

  it("compares charity and company numbers without spaces, dashes or case", () => {
    expect(normaliseRegistrationNumber(" sc-012 345 ")).toBe("SC012345");
    expect(normaliseRegistrationNumber("")).toBeNull();
  });

  it("finds a community group by its name or its number, never a lead organisation", () => {
    const groups = [
      { id: "a", name: "Easton Repair Cafe", kind: "community_group" as const, numbers: [null] },
      { id: "b", name: "Knowle West Tenants", kind: "community_group" as const, numbers: ["1234567"] },
      { id: "c", name: "The Easton Repair Café", kind: "lead_org" as const },
    ];
    expect(findDuplicateGroups({ name: "the easton repair café" }, groups).map((m) => [m.group.id, m.reasons])).toEqual([["a", ["name"]]]);
    expect(findDuplicateGroups({ name: "Something else", registrationNumber: "1234 567" }, groups).map((m) => [m.group.id, m.reasons])).toEqual([
      ["b", ["number"]],
    ]);
    expect(findDuplicateGroups({ name: "Brand new group", registrationNumber: "" }, groups)).toEqual([]);
  });

  it("calls names close when one is inside the other or a letter or two differ, but not when they are the same name", () => {
    expect(isSimilarGroupName("Easton Pantry", "Easton Community Pantry")).toBe(true);
    expect(isSimilarGroupName("Lawrence Hill Community Garden", "Lawrence Hill Comunity Garden")).toBe(true);
    expect(isSimilarGroupName("The Easton Pantry", "easton pantry")).toBe(false);
    expect(isSimilarGroupName("Easton Pantry", "Bedminster Boxing Club")).toBe(false);
  });
});

describe("can(): bringing people into a community group", () => {
  const group = { type: "community_group" as const, id: "org-g", servingLeadOrganisationIds: ["lead-serving"], creatorOrganisationIds: ["lead-creator"] };
  const actor = (role: Actor["role"], organisationId: string | null = null): Actor => ({ id: "u", role, organisationId, decisionGroupId: null });

  it("the administrator, the group's members, and a lead organisation that serves or recorded it may invite and approve", () => {
    for (const action of ["group_member.invite", "join_request.decide"] as const) {
      expect(can(actor("admin"), action, group)).toBe(true);
      expect(can(actor("applicant", "org-g"), action, group)).toBe(true);
      expect(can(actor("lead_org", "lead-serving"), action, group)).toBe(true);
      expect(can(actor("lead_org", "lead-creator"), action, group)).toBe(true);
    }
  });

  it("another group's member, another area's lead organisation, panel members, advisers and nobody signed in may not", () => {
    for (const action of ["group_member.invite", "join_request.decide"] as const) {
      expect(can(actor("applicant", "org-other"), action, group)).toBe(false);
      expect(can(actor("lead_org", "lead-elsewhere"), action, group)).toBe(false);
      expect(can(actor("lead_org", null), action, group)).toBe(false);
      expect(can(actor("panel_member"), action, group)).toBe(false);
      expect(can(actor("adviser"), action, group)).toBe(false);
      expect(can(actor(null), action, group)).toBe(false);
      expect(can(null, action, group)).toBe(false);
      expect(can(actor("admin"), action, { type: "organisation", id: "org-g" })).toBe(false);
    }
  });
});

describe("an import finds the community group by identifier, then by name", () => {
  const PORTAL_ID = "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e";
  const context: ImportContext = {
    groups: [{ id: "g-east", name: "Inner City and East", fundName: "Resilience", minGrantPence: 1_000_000, maxGrantPence: 40_000_000, potPence: 160_000_000 }],
    organisations: [
      { id: PORTAL_ID, name: "Easton Pantry", kind: "community_group", numbers: ["1100001", null, null] },
      { id: "o-twin-1", name: "St Pauls Youth Club", kind: "community_group" },
      { id: "o-twin-2", name: "St. Paul's Youth Club", kind: "community_group" },
      { id: "o-garden", name: "Lawrence Hill Community Garden", kind: "community_group", numbers: [null, "SC012345", null] },
      { id: "o-anchor", name: "Inner East Community Anchor", kind: "lead_org" },
    ],
    existing: [],
  };
  const ROW: Record<string, string> = {
    decision_group: "Inner City and East",
    community_group: "Easton Pantry",
    title: "A kitchen",
    summary: "We will build a kitchen.",
    need_type: "felt",
    need_evidence: "People asked.",
    beneficiaries: "Neighbours",
    beneficiary_count: "100",
    what_built: "A kitchen",
    budget_lines: "Units: £20,000",
    amount_requested: "£20,000",
    start_date: "2027-04-01",
    end_date: "2027-09-30",
    outcomes: "Meals | counted",
  };
  const csv = (...rows: Record<string, string>[]) => [IMPORT_COLUMN_NAMES.slice(), ...rows.map((r) => IMPORT_COLUMN_NAMES.map((c) => r[c] ?? ""))];
  const check = (...rows: Record<string, string>[]) => validateImport(csv(...rows), context);

  it("a charity or company number on record finds the group, whatever name the file uses", () => {
    const result = check({ ...ROW, community_group: "Garden Project (Lawrence Hill)", community_group_identifier: "sc 012345" });
    expect(result.ok && result.rows[0]).toMatchObject({ organisationId: "o-garden", communityGroupName: "Lawrence Hill Community Garden" });
  });

  it("a portal id finds the group; an unknown portal id is a row error", () => {
    expect(check({ ...ROW, community_group: "Anything", community_group_identifier: PORTAL_ID.toUpperCase() })).toMatchObject({
      ok: true,
      rows: [{ organisationId: PORTAL_ID }],
    });
    const unknown = check({ ...ROW, community_group_identifier: "00000000-0000-4000-8000-000000000000" });
    expect(unknown).toEqual({
      ok: false,
      errors: ['Row 2: no group has the portal id "00000000-0000-4000-8000-000000000000". Copy it from the group\'s page under Community groups'],
    });
  });

  it("a name two groups share (ignoring case and punctuation) is a row error asking for the identifier", () => {
    expect(check({ ...ROW, community_group: "ST PAULS YOUTH CLUB" })).toEqual({
      ok: false,
      errors: ['Row 2: 2 groups are called "ST PAULS YOUTH CLUB": add the charity number or portal id in the community_group_identifier column'],
    });
    expect(check({ ...ROW, community_group: "St Pauls Youth Club", community_group_identifier: "o-twin-2" })).toMatchObject({
      ok: true,
      rows: [{ organisationId: "o-twin-2" }],
    });
  });

  it("a name written differently still finds the one group with it", () => {
    expect(check({ ...ROW, community_group: "the easton pantry." })).toMatchObject({
      ok: true,
      rows: [{ organisationId: PORTAL_ID, communityGroupName: "Easton Pantry" }],
      warnings: [],
    });
  });

  it("a number that contradicts the group's number on record is a row error", () => {
    const result = check({ ...ROW, community_group_identifier: "9999999" });
    expect(result.ok ? [] : result.errors).toEqual([
      'Row 2: "Easton Pantry" has the number 1100001 in the portal, not "9999999". Check the number, or use the group\'s portal id',
    ]);
  });

  it("a new group whose name is close to an existing group's is a warning, not an error, and carries its new number", () => {
    const result = check({ ...ROW, community_group: "Easton Community Pantry", community_group_identifier: "1200002" });
    expect(result).toMatchObject({ ok: true, rows: [{ organisationId: null, registrationNumber: "1200002" }] });
    expect(result.ok && result.warnings).toEqual([
      'Row 2: no community group is called "Easton Community Pantry", so a new group will be created. "Easton Pantry" has a similar name: if it is the same group, use its exact name or its portal id in the community_group_identifier column.',
    ]);
  });

  it("a lead organisation named as the group, by name or by id, is refused", () => {
    expect(check({ ...ROW, community_group: "inner east community anchor" })).toEqual({
      ok: false,
      errors: ['Row 2: "Inner East Community Anchor" is a lead organisation, not a community group'],
    });
    expect(check({ ...ROW, community_group_identifier: "o-anchor" })).toEqual({
      ok: false,
      errors: ['Row 2: "Inner East Community Anchor" is a lead organisation, not a community group'],
    });
  });

  it("rows naming one new group in different ways share its keys, so they make one group", () => {
    const result = check({ ...ROW, community_group: "Bedminster Boxing Club" }, { ...ROW, community_group: "bedminster boxing club", title: "Ring" });
    expect(result.ok && result.rows.map((r) => r.newGroupKeys)).toEqual([["name:bedminster boxing club"], ["name:bedminster boxing club"]]);
  });

  it("an identifier that is not a number or an id is a row error", () => {
    const result = check({ ...ROW, community_group_identifier: "ask Sam" });
    expect(result.ok ? [] : result.errors).toEqual([
      'Row 2: the community group identifier must be a charity number, a company number or a portal id, like 1234567 or SC012345 (not "ask Sam")',
    ]);
  });
});
