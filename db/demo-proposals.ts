import type { Actor } from "~/domain/permissions";
import type { ProposalContent } from "~/domain/proposal";
import { eligibilityRules, leadOrganisationDecision, saveDraft, screenEligibility, startProposal, submitProposal } from "~/services/proposals.server";
import type { DB } from "./client";

type Target = "draft" | "submitted" | "changes_requested" | "supported" | "declined" | "eligible" | "ineligible";

interface DemoProposal {
  group: string;
  organisation: string;
  target: Target;
  title: string;
  summary: string;
  needType: ProposalContent["needType"];
  whatBuilt: string;
  beneficiaries: string;
  count: number;
  lines: [string, number][];
  amount: number;
}

const P = 100;

const PROPOSALS: DemoProposal[] = [
  {
    group: "Inner City and East",
    organisation: "Lawrence Hill Community Garden",
    target: "draft",
    title: "Accessible raised beds and a tool store",
    summary: "We will build raised beds that wheelchair users can reach and a secure tool store, so older and disabled neighbours can garden with us.",
    needType: "expressed",
    whatBuilt: "Twelve raised beds, level paths and a lockable timber tool store.",
    beneficiaries: "Older and disabled residents of Lawrence Hill",
    count: 120,
    lines: [
      ["Raised beds and paths", 38_000],
      ["Tool store", 14_000],
    ],
    amount: 52_000,
  },
  {
    group: "Inner City and East",
    organisation: "Lawrence Hill Community Garden",
    target: "changes_requested",
    title: "Community kitchen in the garden pavilion",
    summary: "A small kitchen in our pavilion so we can cook and share what we grow, and run cookery sessions for families.",
    needType: "felt",
    whatBuilt: "A fitted kitchen with extraction, sinks and accessible worktops in the existing pavilion.",
    beneficiaries: "Families using the garden",
    count: 300,
    lines: [
      ["Kitchen fit-out", 55_000],
      ["Extraction and electrics", 17_000],
    ],
    amount: 72_000,
  },
  {
    group: "Inner City and East",
    organisation: "Easton Tenants' Kitchen",
    target: "eligible",
    title: "Refit of the Easton community café",
    summary: "We will refit our tenants' café with a commercial kitchen so we can serve free and low-cost meals five days a week.",
    needType: "comparative",
    whatBuilt: "Commercial kitchen equipment, flooring and ventilation.",
    beneficiaries: "Tenants on the Easton estates",
    count: 800,
    lines: [
      ["Kitchen equipment", 90_000],
      ["Flooring and ventilation", 35_000],
    ],
    amount: 125_000,
  },
  {
    group: "Inner City and East",
    organisation: "St Pauls Carnival Workshop",
    target: "eligible",
    title: "A permanent workshop for carnival makers",
    summary: "A converted unit where young people learn costume, float and sound-system making all year round.",
    needType: "felt",
    whatBuilt: "Conversion of a disused unit: insulation, lighting, benches and a roller door.",
    beneficiaries: "Young people in St Pauls",
    count: 400,
    lines: [
      ["Building conversion", 160_000],
      ["Benches and tools", 40_000],
    ],
    amount: 200_000,
  },
  {
    group: "Inner City and East",
    organisation: "Easton Tenants' Kitchen",
    target: "eligible",
    title: "Solar panels for the community hall",
    summary: "Solar panels and a battery for our hall, to cut the energy bills that threaten to close it.",
    needType: "normative",
    whatBuilt: "A 20 kW solar array with battery storage on the hall roof.",
    beneficiaries: "Groups that use the Easton community hall",
    count: 1500,
    lines: [
      ["Solar array", 48_000],
      ["Battery and installation", 22_000],
    ],
    amount: 70_000,
  },
  {
    group: "Inner City and East",
    organisation: "St Pauls Carnival Workshop",
    target: "submitted",
    title: "Sound system and a storage container",
    summary: "A community sound system and a secure container to store floats and costumes between carnivals.",
    needType: "expressed",
    whatBuilt: "A mobile sound system and a converted shipping container with shelving and lighting.",
    beneficiaries: "Carnival groups and young people in St Pauls",
    count: 600,
    lines: [
      ["Sound system", 30_000],
      ["Container and conversion", 25_000],
    ],
    amount: 55_000,
  },
  {
    group: "South Bristol",
    organisation: "Knowle West Youth Makers",
    target: "supported",
    title: "Maker space for young people in Knowle West",
    summary: "A maker space with 3D printers, laser cutter and workbenches, open every evening for young people.",
    needType: "comparative",
    whatBuilt: "Fit-out of a maker space with equipment and safety features.",
    beneficiaries: "Young people aged 11 to 19 in Knowle West",
    count: 250,
    lines: [
      ["Equipment", 60_000],
      ["Fit-out", 45_000],
    ],
    amount: 105_000,
  },
  {
    group: "South Bristol",
    organisation: "Hartcliffe Allotment Society",
    target: "eligible",
    title: "Water harvesting and a polytunnel",
    summary: "Rainwater harvesting and a large polytunnel so members can grow all year and share produce with the food bank.",
    needType: "expressed",
    whatBuilt: "Rainwater tanks, pipework and a 30-metre polytunnel.",
    beneficiaries: "Allotment members and food bank users",
    count: 600,
    lines: [
      ["Polytunnel", 32_000],
      ["Rainwater system", 21_000],
    ],
    amount: 53_000,
  },
  {
    group: "South Bristol",
    organisation: "Filwood Boxing Club",
    target: "declined",
    title: "New ring and changing rooms",
    summary: "A new boxing ring and refurbished changing rooms for our free youth sessions.",
    needType: "felt",
    whatBuilt: "Boxing ring, changing room refurbishment, showers.",
    beneficiaries: "Young people in Filwood",
    count: 150,
    lines: [
      ["Ring", 20_000],
      ["Changing rooms", 40_000],
    ],
    amount: 60_000,
  },
  {
    group: "South Bristol",
    organisation: "Knowle West Youth Makers",
    target: "draft",
    title: "Mobile workshop van",
    summary: "A van fitted out as a mobile workshop to take making sessions to estates without a venue.",
    needType: "comparative",
    whatBuilt: "A converted van with benches, storage and power.",
    beneficiaries: "Young people on estates without youth venues",
    count: 200,
    lines: [
      ["Van", 35_000],
      ["Conversion", 25_000],
    ],
    amount: 60_000,
  },
  {
    group: "Equality communities",
    organisation: "Deaf Community Hub Bristol",
    target: "eligible",
    title: "Hearing loops and visual alarms",
    summary: "Hearing loops, visual fire alarms and video-relay booths so Deaf people can use the hub safely and independently.",
    needType: "normative",
    whatBuilt: "Induction loops in three rooms, visual alarms throughout, two video-relay booths.",
    beneficiaries: "Deaf and hard of hearing people across Bristol",
    count: 900,
    lines: [
      ["Hearing loops", 12_000],
      ["Visual alarms", 9_000],
      ["Video-relay booths", 14_000],
    ],
    amount: 35_000,
  },
  {
    group: "Equality communities",
    organisation: "Deaf Community Hub Bristol",
    target: "eligible",
    title: "A Changing Places toilet",
    summary: "A Changing Places toilet with a hoist and adult changing bench, so disabled people can stay at the hub all day.",
    needType: "normative",
    whatBuilt: "A Changing Places toilet: hoist, adult-sized changing bench and the building work.",
    beneficiaries: "Disabled people and their carers using the hub",
    count: 300,
    lines: [
      ["Building work", 38_000],
      ["Hoist and bench", 14_000],
    ],
    amount: 52_000,
  },
  {
    group: "Equality communities",
    organisation: "Bristol Somali Women's Network",
    target: "ineligible",
    title: "Women's wellbeing centre refurbishment",
    summary: "Refurbishing a women-only space for wellbeing classes, advice sessions and childcare.",
    needType: "felt",
    whatBuilt: "Refurbished rooms, a crèche area and a small kitchen.",
    beneficiaries: "Somali women and their children",
    count: 350,
    lines: [
      ["Refurbishment", 60_000],
      ["Crèche fit-out", 20_000],
    ],
    amount: 80_000,
  },
  {
    group: "Equality communities",
    organisation: "Trans Wellbeing Collective",
    target: "submitted",
    title: "A safe drop-in space",
    summary: "Converting a shopfront into a safe, accessible drop-in space with private rooms for peer support.",
    needType: "expressed",
    whatBuilt: "Shopfront conversion with two private rooms and an accessible toilet.",
    beneficiaries: "Trans and non-binary people in Bristol",
    count: 500,
    lines: [
      ["Conversion", 45_000],
      ["Accessible toilet", 15_000],
    ],
    amount: 60_000,
  },
];

const PATH: Record<Target, ("submit" | "request_changes" | "support" | "decline" | "eligible" | "ineligible")[]> = {
  draft: [],
  submitted: ["submit"],
  changes_requested: ["submit", "request_changes"],
  supported: ["submit", "support"],
  declined: ["submit", "decline"],
  eligible: ["submit", "support", "eligible"],
  ineligible: ["submit", "support", "ineligible"],
};

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export interface DemoContext {
  fundId: string;
  groupIds: Map<string, string>;
  orgIds: Map<string, string>;
  /** The first user of each organisation, and "admin". */
  actors: Map<string, Actor>;
  leadOf: Map<string, string>;
}

/** About a dozen proposals across the demo groups, in a range of states, made through the real services. */
export async function seedDemoProposals(trx: DB, ctx: DemoContext): Promise<void> {
  const rules = await eligibilityRules(trx, ctx.fundId);
  const eligibleAnswers = Object.fromEntries(rules.map((r) => [r.id, r.options.find((o) => !r.ineligibleAnswers.includes(o))!]));
  const admin = ctx.actors.get("admin")!;
  for (const p of PROPOSALS) {
    const applicant = ctx.actors.get(p.organisation)!;
    const lead = ctx.actors.get(ctx.leadOf.get(p.group)!)!;
    const id = await startProposal(trx, applicant, {
      decisionGroupId: ctx.groupIds.get(p.group)!,
      organisationId: ctx.orgIds.get(p.organisation)!,
      eligibilityAnswers: eligibleAnswers,
    });
    await saveDraft(trx, applicant, id, {
      title: p.title,
      summary: p.summary,
      needType: p.needType,
      needEvidence: "Gathered at community meetings with our lead organisation, and from our own waiting lists and surveys.",
      beneficiaries: p.beneficiaries,
      beneficiaryCount: p.count,
      whatBuilt: p.whatBuilt,
      budgetLines: p.lines.map(([item, pounds]) => ({ item, costPence: pounds * P })),
      amountRequestedPence: p.amount * P,
      startDate: isoDay(120),
      endDate: isoDay(300),
      outcomes: [
        { outcome: `${p.count} people use the new facility in its first year`, measure: "Attendance records, reported quarterly" },
        { outcome: "Users say it meets their needs", measure: "A short survey of users after six months" },
      ],
    });
    for (const step of PATH[p.target]) {
      if (step === "submit") await submitProposal(trx, applicant, id);
      if (step === "request_changes") {
        await leadOrganisationDecision(trx, lead, id, "request_changes", "Please add quotes for the extraction work and say who will manage bookings.");
      }
      if (step === "support") {
        await leadOrganisationDecision(
          trx,
          lead,
          id,
          "support",
          "We have worked with this group for years. The project is well planned and the community asked for it at our listening events.",
        );
      }
      if (step === "decline") {
        await leadOrganisationDecision(
          trx,
          lead,
          id,
          "decline",
          "This is mostly running costs for sessions, which this capital fund cannot pay for. We will help you apply to the revenue fund instead.",
        );
      }
      if (step === "eligible") await screenEligibility(trx, admin, [id], "eligible", "");
      if (step === "ineligible") {
        await screenEligibility(
          trx,
          admin,
          [id],
          "ineligible",
          "The building is leased for only two more years; capital grants need at least five years' security of tenure.",
        );
      }
    }
  }
}
