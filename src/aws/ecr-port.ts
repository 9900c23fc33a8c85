import { portToken } from './port-token.ts';

/** The ECR calls stackguide makes: sizing and emptying a deployment's image repositories before its stacks go. */
export interface EcrPort {
  /** undefined when no repository has that name. */
  describeRepository(name: string): Promise<EcrRepository | undefined>;
  /** Distinct images (by digest) across all pages; undefined when the repository is gone. */
  countImages(name: string): Promise<number | undefined>;
  /** Deletes every image in the repository, keeping the repository; undefined when it is gone. */
  emptyRepository(name: string): Promise<number | undefined>;
}

export interface EcrRepository {
  name: string;
  arn: string;
  uri: string;
}

export const ecrPort = portToken<EcrPort>(
  'ECR',
  {
    describeRepository: true,
    countImages: true,
    emptyRepository: true,
  },
  'AWS_ENDPOINT_URL_ECR',
);
