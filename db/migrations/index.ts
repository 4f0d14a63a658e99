import type { Migration, MigrationProvider } from "kysely";
import * as m20261123_1200 from "./2026_11_23_1200_create_foundation";
import * as m20261123_1300 from "./2026_11_23_1300_add_proposals";
import * as m20261123_1400 from "./2026_11_23_1400_add_panels";
import * as m20261123_1500 from "./2026_11_23_1500_add_awards";
import * as m20261130_1200 from "./2026_11_30_1200_add_memberships";
import * as m20261130_1300 from "./2026_11_30_1300_add_join_requests";
import * as m20261130_1400 from "./2026_11_30_1400_add_fund_rounds";
import * as m20261201_1000 from "./2026_12_01_1000_add_submission_keys";
import * as m20261201_1100 from "./2026_12_01_1100_harden_sign_in";
import * as m20261201_1200 from "./2026_12_01_1200_session_details";
import * as m20261201_1300 from "./2026_12_01_1300_add_two_factor";
import * as m20261201_1500 from "./2026_12_01_1500_add_personal_data_keys";
import * as m20261201_1620 from "./2026_12_01_1620_decision_departures";
import * as m20261201_1630 from "./2026_12_01_1630_you_said_we_did";
import * as m20261201_1640 from "./2026_12_01_1640_open_data_identifiers";
import * as m20261201_1710 from "./2026_12_01_1710_round_evaluation";
import * as m20261201_1720 from "./2026_12_01_1720_equality_monitoring";
import * as m20261201_1750 from "./2026_12_01_1750_audit_checkpoints";
import * as m20261201_1800 from "./2026_12_01_1800_results_snapshot";
import * as m20261201_1810 from "./2026_12_01_1810_group_indexes";
import * as m20261201_1830 from "./2026_12_01_1830_admin_indexes";
import * as m20261201_1850 from "./2026_12_01_1850_community_ballots";
import * as m20261202_0100 from "./2026_12_02_0100_ballot_results";
import * as m20261202_0110 from "./2026_12_02_0110_ballot_rule_ids";
import * as m20261202_0120 from "./2026_12_02_0120_paper_ballots";
import * as m20261202_0130 from "./2026_12_02_0130_ballot_shortlist";
import * as m20261202_0140 from "./2026_12_02_0140_public_meetings";
import * as m20261202_0150 from "./2026_12_02_0150_community_teams";
import * as m20261202_0160 from "./2026_12_02_0160_ballot_equality_and_decisions";
import * as m20261202_0190 from "./2026_12_02_0190_door_code_failures";
import * as m20261202_0200 from "./2026_12_02_0200_outbox_claims";
import * as m20261202_0210 from "./2026_12_02_0210_stored_files";
import * as m20261202_0220 from "./2026_12_02_0220_voter_equality_link";

/** A static list, so the bundled server can run migrations without reading the disk. */
export const migrations: Record<string, Migration> = {
  "2026_11_23_1200_create_foundation": m20261123_1200,
  "2026_11_23_1300_add_proposals": m20261123_1300,
  "2026_11_23_1400_add_panels": m20261123_1400,
  "2026_11_23_1500_add_awards": m20261123_1500,
  "2026_11_30_1200_add_memberships": m20261130_1200,
  "2026_11_30_1300_add_join_requests": m20261130_1300,
  "2026_11_30_1400_add_fund_rounds": m20261130_1400,
  "2026_12_01_1000_add_submission_keys": m20261201_1000,
  "2026_12_01_1100_harden_sign_in": m20261201_1100,
  "2026_12_01_1200_session_details": m20261201_1200,
  "2026_12_01_1300_add_two_factor": m20261201_1300,
  "2026_12_01_1500_add_personal_data_keys": m20261201_1500,
  "2026_12_01_1620_decision_departures": m20261201_1620,
  "2026_12_01_1630_you_said_we_did": m20261201_1630,
  "2026_12_01_1640_open_data_identifiers": m20261201_1640,
  "2026_12_01_1710_round_evaluation": m20261201_1710,
  "2026_12_01_1720_equality_monitoring": m20261201_1720,
  "2026_12_01_1750_audit_checkpoints": m20261201_1750,
  "2026_12_01_1800_results_snapshot": m20261201_1800,
  "2026_12_01_1810_group_indexes": m20261201_1810,
  "2026_12_01_1830_admin_indexes": m20261201_1830,
  "2026_12_01_1850_community_ballots": m20261201_1850,
  "2026_12_02_0100_ballot_results": m20261202_0100,
  "2026_12_02_0110_ballot_rule_ids": m20261202_0110,
  "2026_12_02_0120_paper_ballots": m20261202_0120,
  "2026_12_02_0130_ballot_shortlist": m20261202_0130,
  "2026_12_02_0140_public_meetings": m20261202_0140,
  "2026_12_02_0150_community_teams": m20261202_0150,
  "2026_12_02_0160_ballot_equality_and_decisions": m20261202_0160,
  "2026_12_02_0190_door_code_failures": m20261202_0190,
  "2026_12_02_0200_outbox_claims": m20261202_0200,
  "2026_12_02_0210_stored_files": m20261202_0210,
  "2026_12_02_0220_voter_equality_link": m20261202_0220,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
