/**
 * The ownership marker: written into the description of every OAuth client and into the config notes of
 * every integration this project creates, so that a resource is provably ours even when the org's stored
 * record is lost. Genesys has no tags for these (genesys-cloud-api.md §14: `description` and `notes` are free
 * text, visible in the admin UI). A resource with the marker is one we created, or one an admin marked on
 * purpose; one without it is never adopted, changed or deleted unless the request says `adoptExisting`.
 */
export const OWNERSHIP_MARKER = '[managed-by:genesys-onboarding]';

/** Room the marker takes at the end of a text: ` ` + marker. */
export const OWNERSHIP_MARKER_LENGTH = OWNERSHIP_MARKER.length + 1;

/** Whether a client description or integration notes carry the marker. */
export function isMarked(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.includes(OWNERSHIP_MARKER);
}

/** The text with the marker at its end (once), e.g. `Used by Data Actions [managed-by:genesys-onboarding]`. */
export function withMarker(text: string): string {
  const plain = withoutMarker(text);
  return plain === '' ? OWNERSHIP_MARKER : `${plain} ${OWNERSHIP_MARKER}`;
}

/** The text without the marker, as the requester wrote it. */
export function withoutMarker(text: string | null | undefined): string {
  return (text ?? '').split(OWNERSHIP_MARKER).join('').trim();
}
