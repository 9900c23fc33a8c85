import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { regionStep } from '../../src/steps/region/region-step.ts';
import { checkById, preflightContext } from '../support/preflight-context.ts';

// moto reports every zone available and says nothing of opt-in, so these states come from a mock.
describe('region step, zone states moto cannot produce', () => {
  it('leaves out zones not opted in or impaired, and warns about them', async () => {
    const ec2 = mockClient(EC2Client);
    try {
      ec2.on(DescribeAvailabilityZonesCommand, { AllAvailabilityZones: true }).resolves({
        AvailabilityZones: [
          {
            ZoneName: 'eu-west-9a',
            ZoneType: 'availability-zone',
            State: 'available',
            OptInStatus: 'opt-in-not-required',
          },
          {
            ZoneName: 'eu-west-9b',
            ZoneType: 'availability-zone',
            State: 'impaired',
            OptInStatus: 'opt-in-not-required',
          },
          {
            ZoneName: 'eu-west-9c',
            ZoneType: 'availability-zone',
            State: 'available',
            OptInStatus: 'not-opted-in',
          },
          {
            ZoneName: 'eu-west-9-lz-1a',
            ZoneType: 'local-zone',
            State: 'available',
            OptInStatus: 'not-opted-in',
          },
        ],
      });
      ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
        InstanceTypeOfferings: ['eu-west-9a', 'eu-west-9b', 'eu-west-9c'].map((Location) => ({
          InstanceType: 'm5.large',
          Location,
        })),
      });
      const results = await checkById(
        regionStep,
        preflightContext({ endpoint: 'http://127.0.0.1:9', stepId: 'region', region: 'eu-west-9' }),
        { instanceTypes: ['m5.large'], minAvailabilityZones: 1 },
      );
      expect(results.get('region.zones')).toMatchObject({
        status: 'warn',
        summary:
          '1 of 3 zones usable: eu-west-9a; not usable: eu-west-9b (impaired), eu-west-9c (not opted in)',
      });
      expect(results.get('region.instanceType.m5.large')?.facts?.zones).toEqual(['eu-west-9a']);
      expect(results.get('region.availabilityZones')?.status).toBe('pass');
    } finally {
      ec2.restore();
    }
  });

  it('judges a zone whose answer says nothing of opt-in by its state, and never calls it not opted in', async () => {
    const ec2 = mockClient(EC2Client);
    try {
      // An AWS-compatible endpoint may leave OptInStatus out; AWS itself always sends it.
      ec2.on(DescribeAvailabilityZonesCommand, { AllAvailabilityZones: true }).resolves({
        AvailabilityZones: [
          { ZoneName: 'eu-west-9a', ZoneType: 'availability-zone', State: 'available' },
          { ZoneName: 'eu-west-9b', ZoneType: 'availability-zone', State: 'impaired' },
        ],
      });
      ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
        InstanceTypeOfferings: ['eu-west-9a', 'eu-west-9b'].map((Location) => ({
          InstanceType: 'm5.large',
          Location,
        })),
      });
      const results = await checkById(
        regionStep,
        preflightContext({ endpoint: 'http://127.0.0.1:9', stepId: 'region', region: 'eu-west-9' }),
        { instanceTypes: ['m5.large'], minAvailabilityZones: 1 },
      );
      expect(results.get('region.zones')).toMatchObject({
        status: 'warn',
        summary: '1 of 2 zones usable: eu-west-9a; not usable: eu-west-9b (impaired)',
      });
    } finally {
      ec2.restore();
    }
  });
});
