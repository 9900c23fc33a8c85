import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sharedAmiStep } from '../../src/steps/shared-ami/shared-ami-step.ts';
import { configFor, preflightContext } from '../support/preflight-context.ts';

const CONFIG = { namePattern: 'codeocean-vpc-amzn2-*', requestFrom: 'support@codeocean.com' };

describe('sharedAmi step, a vendor-owned image (moto cannot share across accounts)', () => {
  it('asks for images shared with this account by the vendor, and picks the newest', async () => {
    const mock = mockClient(EC2Client);
    try {
      mock.on(DescribeImagesCommand).resolves({
        Images: [
          {
            ImageId: 'ami-old',
            Name: 'codeocean-vpc-amzn2-20240101',
            OwnerId: '111122223333',
            CreationDate: '2024-01-01T10:00:00.000Z',
            State: 'available',
          },
          {
            ImageId: 'ami-new',
            Name: 'codeocean-vpc-amzn2-20240601',
            OwnerId: '111122223333',
            CreationDate: '2024-06-01T10:00:00.000Z',
            State: 'available',
          },
          {
            ImageId: 'ami-pending',
            Name: 'codeocean-vpc-amzn2-20240701',
            OwnerId: '111122223333',
            CreationDate: '2024-07-01T10:00:00.000Z',
            State: 'pending',
          },
        ],
      });
      const ctx = preflightContext({ endpoint: 'http://127.0.0.1:9', stepId: 'ami' });
      const outputs = await sharedAmiStep.apply?.(
        ctx,
        configFor(sharedAmiStep, { ...CONFIG, owners: ['111122223333'] }),
        {},
      );
      expect(outputs).toEqual({ amiId: 'ami-new' });
      expect(mock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
        {
          ExecutableUsers: ['self'],
          Owners: ['111122223333'],
          Filters: [{ Name: 'name', Values: ['codeocean-vpc-amzn2-*'] }],
        },
      ]);
    } finally {
      mock.restore();
    }
  });
});
