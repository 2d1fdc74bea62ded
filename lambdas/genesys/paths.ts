/**
 * A Platform API path: `base` as written, then each segment percent-encoded, e.g.
 * `apiPath('/api/v2/oauth/clients', clientId, 'secret')` -> `/api/v2/oauth/clients/<id>/secret`.
 * Throws a TypeError for an empty, `.` or `..` segment: each would make the URL name another resource
 * (`/clients/` is the listing, `/clients/..` its parent once the URL is normalised).
 */
export function apiPath(base: string, ...segments: readonly string[]): string {
  return [base, ...segments.map((segment, index) => encodeSegment(base, segment, index))].join('/');
}

function encodeSegment(base: string, segment: string, index: number): string {
  if (segment === '' || segment === '.' || segment === '..') {
    throw new TypeError(
      `apiPath: segment ${index + 1} after ${base} is ${JSON.stringify(segment)}, which is not an id`,
    );
  }
  return encodeURIComponent(segment);
}
