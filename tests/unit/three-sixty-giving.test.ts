import { describe, expect, it } from "vitest";
import { parseCsv } from "~/domain/csv";
import { DomainError } from "~/domain/errors";
import {
  THREE_SIXTY_GIVING_CSV_HEADER,
  checkThreeSixtyGivingQuality,
  geoCodeTypeOf,
  openDataProblems,
  penceToAmount,
  registeredNumbers,
  recipientOrgId,
  threeSixtyGivingCsv,
  threeSixtyGivingPackage,
  threeSixtyGivingRows,
  type FundingOrganisation,
  type ThreeSixtyGivingAward,
} from "~/domain/three-sixty-giving";
import { packageValidator, schemaTitle } from "../support/three-sixty-giving";

const validate = packageValidator();

function expectValid(data: unknown): void {
  const ok = validate(data);
  if (!ok) console.error(JSON.stringify(validate.errors, null, 2));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const funder: FundingOrganisation = { prefix: "360G-examplecouncil", id: "GB-LAE-XXX", name: "Example City Council" };

const charity: ThreeSixtyGivingAward = {
  awardId: 17,
  amountPence: 5_000_050,
  awardDate: "2023-05-18",
  title: "A new kitchen for the community centre",
  description: "Fitted kitchen and accessible serving hatch so the centre can run a weekly lunch club.",
  recipient: { id: 4, name: "Lawrence Hill Community Association", charityNumber: " 1 123 456 ", postcode: "BS5 0AA" },
  programme: { title: "Community Resilience Fund", code: "CRF-2022" },
  beneficiaryLocation: { name: "Lawrence Hill", countryCode: "GB", geoCode: "E05010897", geoCodeType: "WD" },
};

const company: ThreeSixtyGivingAward = {
  awardId: "A-0018",
  amountPence: 1_000_000,
  awardDate: "2023-05-19",
  title: "Solar panels for the sports hall",
  description: "Panels and a battery to cut the hall's energy bills.",
  recipient: { id: 5, name: "Hartcliffe Sports CIC", companyNumber: "1234567", postcode: "BS13 9AA" },
  programme: { title: "Community Resilience Fund" },
  beneficiaryLocation: { name: "Hartcliffe and Withywood", countryCode: "GB" },
};

const unregistered: ThreeSixtyGivingAward = {
  awardId: 19,
  amountPence: 1,
  awardDate: "2023-05-20",
  title: "Garden shed and tools",
  description: "A lockable shed for the allotment group's shared tools.",
  recipient: { id: 6, name: "Fishponds Allotment Friends", charityNumber: null, companyNumber: "" },
  programme: { title: "Community Resilience Fund" },
};

const scottish: ThreeSixtyGivingAward = {
  ...unregistered,
  awardId: 20,
  recipient: { id: 7, name: "A Scottish Charity", charityNumber: "sc012345", companyNumber: "SC123456" },
};

describe("360Giving package", () => {
  const pkg = threeSixtyGivingPackage([charity, company, unregistered, scottish], funder);

  it("validates against the standard's package and grant schemas", () => {
    expectValid(pkg);
    // And as JSON text, which is what the route serves.
    expectValid(JSON.parse(JSON.stringify(pkg)));
  });

  it("validates each kind of recipient on its own, with and without the optional fields", () => {
    for (const award of [charity, company, unregistered, scottish]) expectValid(threeSixtyGivingPackage([award], funder));
  });

  it("builds grant identifiers from the funder's prefix", () => {
    expect(pkg.grants.map((g) => g.id)).toEqual(["360G-examplecouncil-17", "360G-examplecouncil-A-0018", "360G-examplecouncil-19", "360G-examplecouncil-20"]);
  });

  it("identifies recipients by charity number, then company number, else under the funder's prefix", () => {
    expect(pkg.grants.map((g) => g.recipientOrganization[0]!.id)).toEqual(["GB-CHC-1123456", "GB-COH-01234567", "360G-examplecouncil-ORG-6", "GB-SC-SC012345"]);
    expect(recipientOrgId({ id: 1, name: "Both", charityNumber: "1000001", companyNumber: "01234567" }, funder.prefix)).toBe("GB-CHC-1000001");
    expect(pkg.grants[0]!.recipientOrganization[0]).toEqual({
      id: "GB-CHC-1123456",
      name: "Lawrence Hill Community Association",
      charityNumber: "1123456",
      postalCode: "BS5 0AA",
    });
  });

  it("publishes the whole grant for a charity with every optional field", () => {
    expect(pkg.grants[0]).toEqual({
      id: "360G-examplecouncil-17",
      title: "A new kitchen for the community centre",
      description: "Fitted kitchen and accessible serving hatch so the centre can run a weekly lunch club.",
      currency: "GBP",
      amountAwarded: 50000.5,
      awardDate: "2023-05-18",
      recipientOrganization: [expect.objectContaining({ id: "GB-CHC-1123456" })],
      fundingOrganization: [{ id: "GB-LAE-XXX", name: "Example City Council" }],
      grantProgramme: [{ title: "Community Resilience Fund", code: "CRF-2022" }],
      beneficiaryLocation: [{ name: "Lawrence Hill", countryCode: "GB", geoCode: "E05010897", geoCodeType: "WD" }],
    });
  });

  it("leaves out optional fields it does not know, rather than publishing empty values", () => {
    const grant = pkg.grants[2]!;
    expect(grant.recipientOrganization[0]).toEqual({ id: "360G-examplecouncil-ORG-6", name: "Fishponds Allotment Friends" });
    expect(grant.grantProgramme).toEqual([{ title: "Community Resilience Fund" }]);
    expect("beneficiaryLocation" in grant).toBe(false);
  });

  it("gives amounts in pounds, exact to the penny", () => {
    expect(pkg.grants.map((g) => g.amountAwarded)).toEqual([50000.5, 10000, 0.01, 0.01]);
    expect(JSON.stringify(penceToAmount(5_000_050))).toBe("50000.5");
    // Every pence value up to £100,000 (and some far larger) prints as its exact decimal.
    const exactDecimal = (p: number) => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, "0")}`.replace(/\.?0+$/, "");
    for (let p = 1; p <= 10_000_000; p += 997) expect(String(penceToAmount(p))).toBe(exactDecimal(p));
    for (const p of [400_000_000, 123_456_789_01, 99, 10, 100]) expect(String(penceToAmount(p))).toBe(exactDecimal(p));
  });
});

describe("the schema check can fail", () => {
  const good = threeSixtyGivingPackage([charity], funder);

  it("rejects a grant with no amount awarded", () => {
    const { amountAwarded: _amount, ...grant } = good.grants[0]!;
    expect(validate({ grants: [grant] })).toBe(false);
  });

  it("rejects a currency that is not in the codelist", () => {
    expect(validate({ grants: [{ ...good.grants[0]!, currency: "GBX" }] })).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === "/grants/0/currency")).toBe(true);
  });

  it("rejects an award date that is not YYYY-MM-DD, and an empty package", () => {
    expect(validate({ grants: [{ ...good.grants[0]!, awardDate: "18/05/2023" }] })).toBe(false);
    // The standard wants at least one grant: a fund with no awards has nothing valid to publish.
    expect(validate(threeSixtyGivingPackage([], funder))).toBe(false);
  });
});

describe("awards the standard would reject are refused before publishing", () => {
  it.each([
    ["a fractional amount", { amountPence: 10.5 }],
    ["a zero amount", { amountPence: 0 }],
    ["a negative amount", { amountPence: -100 }],
    ["a date that does not exist", { awardDate: "2023-02-29" }],
    ["a date in another format", { awardDate: "18/05/2023" }],
    ["an empty title", { title: "  " }],
    ["an empty description", { description: "" }],
  ])("%s", (_name, change) => {
    expect(() => threeSixtyGivingPackage([{ ...charity, ...change }], funder)).toThrow(DomainError);
  });

  it("refuses the same award twice, and a prefix that is not a 360Giving prefix", () => {
    expect(() => threeSixtyGivingPackage([charity, charity], funder)).toThrow(/listed twice/);
    expect(() => threeSixtyGivingPackage([charity], { ...funder, prefix: "examplecouncil" })).toThrow(DomainError);
    expect(() => threeSixtyGivingPackage([charity], { ...funder, id: " " })).toThrow(DomainError);
  });
});

describe("360Giving CSV", () => {
  it("uses the standard's column titles, taken from the schema", () => {
    const fields = [
      "id",
      "title",
      "description",
      "currency",
      "amountAwarded",
      "awardDate",
      "recipientOrganization.id",
      "recipientOrganization.name",
      "recipientOrganization.charityNumber",
      "recipientOrganization.companyNumber",
      "recipientOrganization.postalCode",
      "fundingOrganization.id",
      "fundingOrganization.name",
      "grantProgramme.title",
      "grantProgramme.code",
      "beneficiaryLocation.name",
      "beneficiaryLocation.countryCode",
      "beneficiaryLocation.geoCode",
      "beneficiaryLocation.geoCodeType",
    ];
    expect(THREE_SIXTY_GIVING_CSV_HEADER).toEqual(fields.map(schemaTitle));
    expect(THREE_SIXTY_GIVING_CSV_HEADER.slice(0, 8)).toEqual([
      "Identifier",
      "Title",
      "Description",
      "Currency",
      "Amount Awarded",
      "Award Date",
      "Recipient Org:Identifier",
      "Recipient Org:Name",
    ]);
  });

  it("flattens the same grants, one row each, and reads back", () => {
    const pkg = threeSixtyGivingPackage([charity, unregistered], funder);
    const text = threeSixtyGivingCsv(pkg);
    expect(text.startsWith("\uFEFFIdentifier,Title,")).toBe(true);
    const [header, first, second] = parseCsv(text);
    expect(header).toEqual([...THREE_SIXTY_GIVING_CSV_HEADER]);
    const row = Object.fromEntries(header!.map((title, i) => [title, first![i]]));
    expect(row).toMatchObject({
      Identifier: "360G-examplecouncil-17",
      Currency: "GBP",
      "Amount Awarded": "50000.5",
      "Award Date": "2023-05-18",
      "Recipient Org:Identifier": "GB-CHC-1123456",
      "Recipient Org:Charity Number": "1123456",
      "Recipient Org:Postal Code": "BS5 0AA",
      "Funding Org:Identifier": "GB-LAE-XXX",
      "Grant Programme:Code": "CRF-2022",
      "Beneficiary Location:Country Code": "GB",
      "Beneficiary Location:Geographic Code": "E05010897",
    });
    // Unknown optional fields are empty cells, not "undefined".
    expect(second!.slice(-4)).toEqual(["", "", "", ""]);
    expect(second).toHaveLength(header!.length);
  });

  it("neutralises a cell a spreadsheet would run as a formula", () => {
    const pkg = threeSixtyGivingPackage([{ ...charity, title: '=HYPERLINK("http://evil.example","Click")', description: "-1+1" }], funder);
    expect(pkg.grants[0]!.title).toBe('=HYPERLINK("http://evil.example","Click")'); // the JSON keeps the real title
    const [, row] = parseCsv(threeSixtyGivingCsv(pkg));
    expect(row![1]).toBe('\'=HYPERLINK("http://evil.example","Click")');
    expect(row![2]).toBe("'-1+1");
    // Numbers are numbers, not neutralised text.
    expect(threeSixtyGivingRows(pkg)[1]![4]).toBe(50000.5);
  });
});

describe("the recipient's numbers come from the group profile's one registration number and its kind", () => {
  const award = (orgType: string | null, registrationNumber: string | null): ThreeSixtyGivingAward => ({
    ...unregistered,
    recipient: { id: "0b8f3c2e-uuid", name: "Lawrence Hill Community Garden", ...registeredNumbers(orgType, registrationNumber) },
  });
  const idOf = (a: ThreeSixtyGivingAward) => threeSixtyGivingPackage([a], funder).grants[0]!.recipientOrganization[0]!;

  it("a registered charity is identified as GB-CHC-<number>, with its charity number", () => {
    expect(idOf(award("charity", "1234567"))).toMatchObject({ id: "GB-CHC-1234567", charityNumber: "1234567" });
    expect(idOf(award("charity", "1234567")).companyNumber).toBeUndefined();
  });

  it("a CIC or company limited by guarantee is identified as GB-COH-<8 characters>", () => {
    expect(idOf(award("cic", "12345678"))).toMatchObject({ id: "GB-COH-12345678", companyNumber: "12345678" });
    expect(idOf(award("clg", "1234567")).id).toBe("GB-COH-01234567");
    expect(idOf(award("clg", "sc123456")).id).toBe("GB-COH-SC123456");
  });

  it("a Scottish or Northern Irish charity gets its own register's prefix", () => {
    expect(idOf(award("charity", "SC012345")).id).toBe("GB-SC-SC012345");
    expect(idOf(award("charity", "NIC100002")).id).toBe("GB-NIC-100002");
  });

  it("falls back to the funder's prefix only without a registered number", () => {
    expect(idOf(award("unincorporated", null)).id).toBe("360G-examplecouncil-ORG-0b8f3c2e-uuid");
    expect(idOf(award("charity", "  ")).id).toBe("360G-examplecouncil-ORG-0b8f3c2e-uuid");
    expect(idOf(award("other", "1234567")).id).toBe("360G-examplecouncil-ORG-0b8f3c2e-uuid");
    expect(idOf(award(null, "1234567")).id).toBe("360G-examplecouncil-ORG-0b8f3c2e-uuid");
  });

  it("a beneficiary location with an ONS ward code validates, with its code type", () => {
    expect(geoCodeTypeOf("E05010897")).toBe("WD");
    expect(geoCodeTypeOf("E06000023")).toBe("LAD");
    expect(geoCodeTypeOf("X1")).toBeNull();
    const pkg = threeSixtyGivingPackage(
      [
        {
          ...award("charity", "1234567"),
          beneficiaryLocation: { name: "Lawrence Hill", countryCode: "GB", geoCode: "E05010897", geoCodeType: geoCodeTypeOf("E05010897") },
        },
      ],
      funder,
    );
    expect(pkg.grants[0]!.beneficiaryLocation).toEqual([{ name: "Lawrence Hill", countryCode: "GB", geoCode: "E05010897", geoCodeType: "WD" }]);
    expectValid(pkg);
  });
});

describe("the data-quality check, as 360Giving's tool does it", () => {
  const grant = threeSixtyGivingPackage([charity], funder).grants[0]!;
  const withRecipient = (recipient: Record<string, string>) => ({
    grants: [{ ...grant, recipientOrganization: [{ name: "Test Group", ...recipient }] as typeof grant.recipientOrganization }],
  });

  it("passes clean files: a charity, a company, a Scottish charity and an unregistered group", () => {
    expect(checkThreeSixtyGivingQuality(threeSixtyGivingPackage([charity, company, unregistered, scottish], funder))).toEqual([]);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-CHC-1234567-12", charityNumber: "1234567-12" }))).toEqual([]);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-CHC-123456", charityNumber: "123456" }))).toEqual([]);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-COH-NI123456", companyNumber: "NI123456" }))).toEqual([]);
  });

  it("catches a £0 grant", () => {
    const problems = checkThreeSixtyGivingQuality({ grants: [{ ...grant, amountAwarded: 0 }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ grant: grant.id });
    expect(problems[0]!.message).toMatch(/£0/);
  });

  it("catches an identifier with an unknown prefix", () => {
    const problems = checkThreeSixtyGivingQuality(withRecipient({ id: "XI-ABC-123" }));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/Test Group: .*"XI-ABC-123".*known prefix/)]);
  });

  it("catches a charity number that is not 6 or 7 digits, in the identifier and the field", () => {
    const problems = checkThreeSixtyGivingQuality(withRecipient({ id: "GB-CHC-12345", charityNumber: "12345" }));
    expect(problems).toHaveLength(2);
    expect(problems.map((p) => p.message).join(" ")).toMatch(/charity number/);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-CHC-12345678" }))).toHaveLength(1);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-SC-SC12345" }))).toHaveLength(1);
  });

  it("catches a company number that is not 8 digits or 2 letters and 6 digits", () => {
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-COH-1234567", companyNumber: "1234567" }))).toHaveLength(2);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-COH-ABC12345" }))).toHaveLength(1);
    expect(checkThreeSixtyGivingQuality(withRecipient({ id: "GB-COH-123456789" }))).toHaveLength(1);
  });

  it("lists awards that cannot become grants at all, such as a £0 award, beside the quality problems", () => {
    const problems = openDataProblems([{ ...charity, amountPence: 0 }, award12345()], funder);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatchObject({ grant: "17" });
    expect(problems[0]!.message).toMatch(/more than 0/);
    expect(problems.slice(1).map((p) => p.grant)).toEqual(["360G-examplecouncil-20", "360G-examplecouncil-20"]);
    expect(problems[1]!.message).toMatch(/"GB-CHC-12345"/);
    expect(problems[2]!.message).toMatch(/charity number "12345"/);
    expect(openDataProblems([charity, company], funder)).toEqual([]);
    expect(openDataProblems([charity], { ...funder, prefix: "examplecouncil" })).toEqual([
      { grant: "examplecouncil", message: expect.stringMatching(/360G-/) },
    ]);
    expect(openDataProblems([], { ...funder, prefix: "examplecouncil" })).toEqual([]);
  });
});

function award12345(): ThreeSixtyGivingAward {
  return { ...unregistered, awardId: 20, recipient: { id: 7, name: "Short Number Trust", charityNumber: "12345" } };
}
