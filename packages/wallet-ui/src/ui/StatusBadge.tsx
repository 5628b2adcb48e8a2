/** What each verification status means, in the words a holder reads. */
const STATUS_TEXT: Record<string, { label: string; title: string }> = {
  pending: { label: 'Pending', title: 'Not yet in a verified block.' },
  included: {
    label: 'Included',
    title: 'In a verified block; peers have not attested its validity yet.',
  },
  valid: {
    label: 'Valid',
    title: 'In a verified block, and peers satisfying the policy attest it valid.',
  },
  invalid: {
    label: 'Invalid',
    title: 'In a verified block, and peers satisfying the policy attest it invalid.',
  },
  unverifiable: {
    label: 'Unverifiable',
    title: 'What a node served does not check out; it is not counted.',
  },
  refused: { label: 'Refused', title: 'A gateway refused it before ordering; nothing moved.' },
  expired: {
    label: 'Expired',
    title: 'No node showed it in a block in time; its coins were released.',
  },
  attested: { label: 'Attested', title: 'Attestations satisfy the channel policy.' },
  unattested: { label: 'Not attested', title: 'Attestations do not (yet) satisfy the policy.' },
  conflict: { label: 'Conflict', title: 'Two sets of peers attest different results.' },
};

/** A status as text and colour (never colour alone), with its meaning on hover and to screen readers. */
export function StatusBadge({ status }: { status: string }) {
  const text = STATUS_TEXT[status] ?? { label: status, title: status };
  return (
    <span class={`badge badge-${status}`} title={text.title} data-status={status}>
      {text.label}
      <span class="visually-hidden">: {text.title}</span>
    </span>
  );
}
