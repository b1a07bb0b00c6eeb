/** DIUN's status: "new" (a tag it had not seen) or "update" (the tag's digest changed). */
export function StatusBadge({ status }: { status: string }) {
  const known = status === "new" || status === "update";
  return <span className={`badge badge-${known ? status : "other"}`}>{status === "new" ? "New" : status === "update" ? "Update" : status || "Unknown"}</span>;
}
