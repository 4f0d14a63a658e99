import type { ProposalStatus } from "~/domain/proposal-status";
import { PROPOSAL_STATUS_TONES, TONE_CLASSES, type Tone } from "~/domain/status-tone";

/** A status in words, on a colour that repeats what it means (green good, red stopped, yellow act, blue waiting, grey neutral). */
export function StatusTag({ tone, children, className = "" }: { tone: Tone; children: string; className?: string }) {
  return <strong className={`tag ${TONE_CLASSES[tone]} ${className}`.trim()}>{children}</strong>;
}

/** A proposal's status tag: its label, coloured by what the status means. */
export function ProposalStatusTag({ status, label, className }: { status: ProposalStatus; label: string; className?: string }) {
  return (
    <StatusTag tone={PROPOSAL_STATUS_TONES[status]} className={className}>
      {label}
    </StatusTag>
  );
}
