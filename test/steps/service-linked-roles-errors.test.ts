import {
  CreateServiceLinkedRoleCommand,
  EntityAlreadyExistsException,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { serviceLinkedRolesStep } from '../../src/steps/service-linked-roles/service-linked-roles-step.ts';
import { configFor, preflightContext } from '../support/preflight-context.ts';

// The wordings IAM uses for "that role exists", as operators have met them (terraform-aws-hasura#17,
// lgallard/terraform-aws-elasticsearch#59), and moto's EntityAlreadyExists.
const iam = mockClient(IAMClient);
beforeEach(() => {
  iam.reset();
  iam.on(ListRolesCommand).resolves({ Roles: [] });
});
afterEach(() => iam.reset());

const meta = { $metadata: { httpStatusCode: 400 } };
const apply = async (service: string) => {
  const context = preflightContext({ endpoint: 'http://127.0.0.1:9', stepId: 'roles' });
  await serviceLinkedRolesStep.apply?.(
    context,
    configFor(serviceLinkedRolesStep, { services: [service] }),
    {},
  );
  return context.events;
};

describe('CreateServiceLinkedRole answers that count as "already exists"', () => {
  it.each([
    [
      'InvalidInput, "has been taken in this account"',
      new InvalidInputException({
        ...meta,
        message:
          'Service role name AWSServiceRoleForAmazonElasticsearchService has been taken in this account, please try a different suffix.',
      }),
    ],
    [
      'EntityAlreadyExists',
      new EntityAlreadyExistsException({
        ...meta,
        message: 'Role with name AWSServiceRoleForBatch already exists.',
      }),
    ],
    [
      'InvalidInput, "already exists"',
      new InvalidInputException({
        ...meta,
        message: 'Role with name AWSServiceRoleForEC2Spot already exists.',
      }),
    ],
  ])('%s', async (_label, error) => {
    iam.on(CreateServiceLinkedRoleCommand).rejects(error);
    const events = await apply('es.amazonaws.com');
    expect(events.at(-1)).toMatchObject({
      message: 'Service-linked role for es.amazonaws.com already exists',
    });
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(1);
  });

  it('passes other InvalidInput errors on, as StackguideErrors naming the call', async () => {
    iam.on(CreateServiceLinkedRoleCommand).rejects(
      new InvalidInputException({
        ...meta,
        message: 'Service name nosuch.amazonaws.com is not a valid service name for a service-linked role.',
      }),
    );
    const failure = apply('nosuch.amazonaws.com');
    await expect(failure).rejects.toBeInstanceOf(StackguideError);
    await expect(failure).rejects.toMatchObject({
      code: 'aws.InvalidInputException',
      message: expect.stringContaining('IAM createServiceLinkedRole failed'),
    });
  });

  it('passes AccessDenied on', async () => {
    iam.on(CreateServiceLinkedRoleCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        ...meta,
        message: 'User is not authorized to perform: iam:CreateServiceLinkedRole',
      }),
    );
    await expect(apply('batch.amazonaws.com')).rejects.toMatchObject({ code: 'aws.access-denied' });
  });
});
