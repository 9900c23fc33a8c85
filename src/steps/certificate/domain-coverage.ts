import { normalizeDnsName } from '../../dns/compare-delegation.ts';

/**
 * Whether a certificate listing `names` is valid for `name` (RFC 6125 section 6.4.3, as browsers apply
 * it): an exact match, or a wildcard `*.example.com` standing for exactly one label, so it covers
 * `www.example.com` but neither `example.com` nor `a.b.example.com`. A required wildcard name is
 * covered only by the same wildcard.
 */
export function coveredBy(name: string, names: readonly string[]): boolean {
  const wanted = normalizeDnsName(name);
  return names.some((candidate) => {
    const listed = normalizeDnsName(candidate);
    if (listed === wanted) return true;
    if (!listed.startsWith('*.') || wanted.startsWith('*.')) return false;
    const rest = listed.slice(2);
    const dot = wanted.indexOf('.');
    return dot > 0 && wanted.slice(dot + 1) === rest;
  });
}

/** The names a certificate for `domain` must cover: the domain, and `*.domain` when asked for. */
export function requiredNames(domain: string, includeWildcard: boolean): string[] {
  const base = normalizeDnsName(domain);
  return includeWildcard ? [base, `*.${base}`] : [base];
}

/** `arn:aws:acm:eu-west-1:123456789012:certificate/<id>`, in parts; undefined when it is not one. */
export function parseCertificateArn(
  arn: string,
): { partition: string; region: string; account: string; id: string } | undefined {
  const match = /^arn:(aws[a-z-]*):acm:([a-z0-9-]+):(\d{12}):certificate\/([A-Za-z0-9-]+)$/.exec(arn.trim());
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  return { partition: match[1], region: match[2], account: match[3], id: match[4] };
}
