/** A proposal's files as download links with their sizes, or a sentence when there are none. */
export function AttachmentList({
  attachments,
  downloadLabel,
  emptyText,
}: {
  attachments: readonly { id: string; name: string; size: string }[];
  downloadLabel: (name: string) => string;
  emptyText: string;
}) {
  if (!attachments.length) return <p>{emptyText}</p>;
  return (
    <ul className="list-disc pl-6">
      {attachments.map((a) => (
        <li key={a.id} className="break-words">
          <a href={`/attachments/${a.id}`} download>
            {downloadLabel(a.name)}
          </a>{" "}
          ({a.size})
        </li>
      ))}
    </ul>
  );
}
