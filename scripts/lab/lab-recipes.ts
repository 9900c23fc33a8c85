import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountPrepTarget } from '../../test/support/account-prep-target.ts';
import { type KnotServer, startKnotServer } from '../../test/support/knot-server.ts';
import { writeSelfSignedCertificate } from '../../test/support/pem-fixtures.ts';

/**
 * What each shipped blueprint needs from a local lab beyond moto and the stand-ins, in one place: the
 * same things its end-to-end test prepares (test/blueprints/*.test.ts), so what an operator tries by
 * hand is what the suite proves.
 */
export interface LabRecipe {
  /** Extra environment for moto (ACM issues DNS-validated certificates after this many seconds). */
  motoEnv?: Record<string, string>;
  /** Prepares the lab: images, quotas, DNS, files. Returns environment for the CLI and notes to print. */
  prepare(target: AccountPrepTarget, folder: string): Promise<LabPreparation>;
  /** Variables an unattended install needs that no answers file holds (lab values, nobody's secret). */
  unattendedSecrets?: Record<string, string>;
}

export interface LabPreparation {
  env: Record<string, string>;
  notes: string[];
  stop?: () => Promise<void>;
}

// Route53's name servers as moto hands them to every zone it creates (moto/route53/models.py).
const MOTO_NAME_SERVERS = [
  'ns-2048.awsdns-64.com',
  'ns-2049.awsdns-65.net',
  'ns-2050.awsdns-66.org',
  'ns-2051.awsdns-67.co.uk',
];

/**
 * A parent zone that already delegates `child` to the name servers moto gives a new zone, served by
 * knotd on 127.0.0.1, and a second knotd on 127.0.0.2 answering for the child as "Route53" would. This
 * is the state the guides ask the operator to reach at their DNS provider before installing.
 */
async function delegatedDomain(parent: string, child: string, extraChildRecords: string[] = []) {
  const label = child.slice(0, -(parent.length + 1));
  const servers: KnotServer[] = await Promise.all([
    startKnotServer({
      zones: [
        {
          origin: parent,
          records: [
            '@ NS ns1',
            'ns1 A 127.0.0.1',
            ...MOTO_NAME_SERVERS.map((ns) => `${label} 300 NS ${ns}.`),
          ].join('\n'),
        },
      ],
      addresses: ['127.0.0.1'],
    }),
    startKnotServer({
      zones: [
        {
          origin: child,
          records: [...MOTO_NAME_SERVERS.map((ns) => `@ NS ${ns}.`), ...extraChildRecords].join('\n'),
        },
      ],
      addresses: ['127.0.0.2'],
    }),
  ]);
  const [parentServer, childServer] = servers as [KnotServer, KnotServer];
  return {
    env: {
      STACKGUIDE_DNS_SERVERS: `127.0.0.1:${parentServer.port}`,
      STACKGUIDE_DNS_RESOLVERS: `lab=127.0.0.2:${childServer.port}`,
      STACKGUIDE_DNS_NS_ADDRESSES: MOTO_NAME_SERVERS.map((ns) => `${ns}=127.0.0.2:${childServer.port}`).join(
        ',',
      ),
    },
    note: `DNS: ${parent} (knotd on 127.0.0.1:${parentServer.port}) already delegates ${child} to the name servers the lab's Route53 gives it`,
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}

export const labRecipes: Record<string, LabRecipe> = {
  demo: {
    async prepare() {
      return { env: {}, notes: [] };
    },
  },

  'convox-rack': {
    async prepare() {
      return { env: {}, notes: [] };
    },
  },

  qhub: {
    async prepare(_target, folder) {
      return { env: {}, notes: [`The install writes qhub-config.yaml into ${folder}`] };
    },
  },

  opensarlab: {
    unattendedSecrets: { STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: 'lab-registry-password' },
    async prepare(_target, folder) {
      // The CA certificate the guide imports, for the sample answers' domain; the answers file names
      // certs/opensarlab.pem and certs/opensarlab.key relative to itself.
      const certs = join(folder, 'certs');
      await mkdir(certs, { recursive: true });
      await writeSelfSignedCertificate(certs, 'opensarlab.example.edu', 'opensarlab');
      return {
        // Docker Hub's login cannot be reached from a lab: the check is switched off, any password is stored.
        env: { STACKGUIDE_REGISTRY_LOGIN_URL: 'off' },
        notes: [
          `CA certificate for opensarlab.example.edu: ${join(certs, 'opensarlab.pem')} (key beside it)`,
          'Registry login check: off in the lab, so any Docker Hub password is stored as given.',
          'SES and Cost Explorer answer from local stand-ins: the SES request is accepted and stays under review.',
        ],
      };
    },
  },

  'codeocean-vpc': {
    // DNS-validated certificates are issued one second after they are requested.
    motoEnv: { MOTO_ACM_VALIDATION_WAIT: '1' },
    async prepare(target) {
      // The image Code Ocean shares with the account (the lab registers it in the account itself).
      const imageId = await target.shareImage('codeocean-vpc-amzn2-20260101');
      // The guide's numbers: 34 standard vCPUs, 32 G and VT vCPUs; room for a VPC, NAT gateways and one
      // Elastic IP per zone.
      target.quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-1216C47A', value: 34 });
      target.quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-DB2E81BA', value: 32 });
      target.quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-F678F1CE', value: 5 });
      target.quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-0263D0A3', value: 10 });
      target.quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-FE5A380F', value: 5 });
      const domain = 'codeocean.example.test';
      // moto's ACM validation record for this name (moto/acm/models.py): the "Route53" answer the
      // certificate check reads back.
      const validation = `_d930b28be6c5927595552b219965053e.${domain}. 300 CNAME _c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws.`;
      const dns = await delegatedDomain('example.test', domain, [validation]);
      return {
        env: dns.env,
        notes: [
          `Shared AMI: codeocean-vpc-amzn2-20260101 (${imageId}) in us-east-1`,
          'Service Quotas: 34 standard vCPUs, 32 G and VT vCPUs, 5 VPCs, 10 Elastic IPs, 5 NAT gateways per zone',
          dns.note,
        ],
        stop: dns.stop,
      };
    },
  },
};
