import { STEP_STATE_LABELS, type TimelineStep } from "~/domain/proposal-timeline";

const MARKS: Record<TimelineStep["state"], string> = {
  done: "bg-green-700 border-green-700",
  current: "bg-white border-blue-800 border-4",
  upcoming: "bg-white border-slate-500",
  stopped: "bg-red-700 border-red-700",
};

/** Where a proposal is in its life. Each step says its state in words; the colour only repeats it. */
export function ProposalTimeline({ steps, label = "Where your proposal is" }: { steps: TimelineStep[]; label?: string }) {
  return (
    <ol aria-label={label} className="mb-6 list-none space-y-0 border-l-2 border-slate-400 pl-0">
      {steps.map((step) => (
        <li
          key={step.key}
          aria-current={step.state === "current" ? "step" : undefined}
          className={`relative -ml-px py-2 pl-6 ${step.state === "current" ? "font-bold" : ""}`}
        >
          <span aria-hidden="true" className={`absolute -left-[9px] top-3.5 h-4 w-4 rounded-full border-2 ${MARKS[step.state]}`} />
          <span>{step.label}</span>{" "}
          <span className={`tag ml-1 ${step.state === "current" ? "bg-blue-800 text-white" : step.state === "stopped" ? "bg-red-700 text-white" : ""}`}>
            {STEP_STATE_LABELS[step.state]}
          </span>
        </li>
      ))}
    </ol>
  );
}
