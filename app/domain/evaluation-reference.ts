/**
 * Bristol's figures, the reference every round's report is read against, in
 * one place with where they come from. Copied here (the portal never reads the
 * seed documents at run time).
 *
 * Source: Bristol City Council, minutes of the scrutiny commission's agenda
 * item "Community Resilience Fund participatory decision making"
 * (https://democracy.bristol.gov.uk/mgAi.aspx?ID=33403): "84% of participants
 * had indicated they would take part again, 60% felt they had gained
 * confidence", and "an estimated total spend of 14% (of the overall budget)
 * on programme management over the 4 year course of the programme". The
 * participants asked were the decision-making groups (the panels).
 */
export const BRISTOL_REFERENCE = {
  source: "Bristol City Council, Community Resilience Fund participatory decision making (scrutiny commission minutes)",
  sourceUrl: "https://democracy.bristol.gov.uk/mgAi.aspx?ID=33403",
  /** Whose answers the survey figures compare with: Bristol asked the people on its decision-making groups. */
  roleGroup: "panel",
  /** Percent of participants who said they would take part again. */
  takePartAgainPercent: 84,
  /** Percent who felt they had gained confidence. */
  gainedConfidencePercent: 60,
  /** Percent of the overall budget spent on running the programme (over four years). */
  runningCostsPercent: 14,
} as const;
