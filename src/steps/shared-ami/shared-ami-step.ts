import type { MachineImage } from '../../aws/ec2-port.ts';
import { ec2Port } from '../../aws/ec2-port.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type StepContext } from '../step.ts';
import { type SharedAmiConfig, sharedAmiConfig } from './shared-ami-config.ts';

/**
 * A vendor image shared with the account (seed 000, "Request Code Ocean AMIs"): the vendor shares it
 * per account and per region on request, so the most useful answer when it is missing is whom to ask
 * and exactly what to tell them.
 */

export const sharedAmiStep = defineStep({
  ...sharedAmiConfig,

  async check(context, config): Promise<CheckResult[]> {
    const images = await findImages(context, config);
    const newest = newestAvailable(images);
    const base = {
      id: `${context.stepId}.ami`,
      step: context.stepId,
      title: `Machine image ${config.namePattern}`,
      required: true,
    };
    if (newest) {
      return [
        {
          ...base,
          status: 'pass',
          summary:
            `${newest.imageId} ${newest.name} (owner ${newest.ownerId}, created ${newest.creationDate})` +
            (images.length > 1 ? `, the newest of ${images.length}` : ''),
          facts: { amiId: newest.imageId, name: newest.name, ownerId: newest.ownerId, images: images.length },
        },
      ];
    }
    if (images.length > 0) {
      const listed = images.map((image) => `${image.imageId} (${image.state})`).join(', ');
      return [
        {
          ...base,
          status: 'fail',
          summary: `found ${listed}, none available yet`,
          fix: `Wait until the image is available (aws ec2 describe-images --image-ids ${images[0]?.imageId} --region ${context.region}); if it failed, ask ${config.requestFrom} to share it again.`,
          facts: { images: images.map((image) => image.imageId) },
        },
      ];
    }
    return [
      {
        ...base,
        status: 'fail',
        summary: `no image named ${config.namePattern} is shared with account ${context.account} in ${context.region}`,
        fix: askFor(context, config),
        facts: { account: context.account, region: context.region, requestFrom: config.requestFrom },
      },
    ];
  },

  async apply(context, config) {
    const newest = newestAvailable(await findImages(context, config));
    if (!newest) {
      throw new StackguideError(
        `No image named ${config.namePattern} is shared with account ${context.account} in ${context.region}`,
        { code: 'step.ami-missing', kind: 'user', nextSteps: [askFor(context, config)] },
      );
    }
    return { amiId: newest.imageId };
  },
});

function findImages(context: StepContext, config: SharedAmiConfig): Promise<MachineImage[]> {
  return context.aws
    .use(ec2Port)
    .findImages({ namePattern: config.namePattern, ...(config.owners ? { owners: config.owners } : {}) });
}

/** The newest by creation date; vendors stamp the date into the name, so the name breaks ties. */
function newestAvailable(images: readonly MachineImage[]): MachineImage | undefined {
  return images
    .filter((image) => image.state === 'available')
    .sort((a, b) => b.creationDate.localeCompare(a.creationDate) || b.name.localeCompare(a.name))[0];
}

function askFor(context: StepContext, config: SharedAmiConfig): string {
  return (
    `Ask ${config.requestFrom} to share the ${config.namePattern} image with AWS account ${context.account} ` +
    `in region ${context.region}. When they confirm, run stackguide preflight again.`
  );
}
