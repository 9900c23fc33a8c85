import { type KnotServer, startKnotServer } from './knot-server.ts';

/** The four name servers moto gives every hosted zone (moto/route53/models.py). */
export const motoNameServers = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];

/** moto's DNS-validation record for `domain` and its wildcard (moto/acm/models.py), as a zone-file line. */
function motoValidationRecord(domain: string): string {
  return `_d930b28be6c5927595552b219965053e.${domain}. 300 CNAME _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws.`;
}

/**
 * Public DNS as a moto deployment of `<subdomain>.example.test` sees it, on knotd: the parent
 * example.test on 127.0.0.1 (delegating to moto's name servers when `delegated`), and the hosted zone
 * itself, with moto's validation record, on 127.0.0.2.
 */
export async function startMotoDns(
  domain: string,
  { delegated }: { delegated: boolean },
): Promise<{ parent: KnotServer; child: KnotServer }> {
  const label = domain.split('.')[0] ?? '';
  const [parent, child] = await Promise.all([
    startKnotServer({
      zones: [
        {
          origin: 'example.test',
          records: [
            '@ NS ns1',
            'ns1 A 127.0.0.1',
            ...(delegated ? motoNameServers.map((name) => `${label} 300 NS ${name}.`) : []),
          ].join('\n'),
        },
      ],
      addresses: ['127.0.0.1'],
    }),
    startKnotServer({
      zones: [
        {
          origin: domain,
          records: [...motoNameServers.map((name) => `@ NS ${name}.`), motoValidationRecord(domain)].join(
            '\n',
          ),
        },
      ],
      addresses: ['127.0.0.2'],
    }),
  ]);
  return { parent, child };
}
