/** The ECR calls stackguide makes: sizing and deleting a deployment's image repositories before its stacks go. */
export interface EcrPort {
  /** undefined when no repository has that name. */
  describeRepository(name: string): Promise<EcrRepository | undefined>;
  /** Distinct images (by digest) across all pages; undefined when the repository is gone. */
  countImages(name: string): Promise<number | undefined>;
  /** Deletes the repository and every image in it (force); false when it was already gone. */
  deleteRepository(name: string): Promise<boolean>;
}

export interface EcrRepository {
  name: string;
  arn: string;
  uri: string;
}
