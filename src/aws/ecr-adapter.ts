import {
  BatchDeleteImageCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  type ImageIdentifier,
  ListImagesCommand,
} from '@aws-sdk/client-ecr';
import type { EcrPort } from './ecr-port.ts';
import type { PortAdapter } from './port-token.ts';

export const ecrAdapter: PortAdapter<EcrPort> = {
  create: (config) => ecrOver(new ECRClient(config)),
};

function ecrOver(client: ECRClient): EcrPort {
  return {
    async describeRepository(name) {
      try {
        const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
        const repository = response.repositories?.[0];
        if (!repository) return undefined;
        return {
          name: repository.repositoryName ?? name,
          arn: repository.repositoryArn ?? '',
          uri: repository.repositoryUri ?? '',
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async countImages(name) {
      const images = await listImages(client, name);
      // An image with several tags is listed once per tag: count digests, not entries.
      return images === undefined ? undefined : new Set(images.map((image) => image.imageDigest)).size;
    },

    async emptyRepository(name) {
      const images = await listImages(client, name);
      if (images === undefined) return undefined;
      const digests = [...new Set(images.flatMap((image) => (image.imageDigest ? [image.imageDigest] : [])))];
      // BatchDeleteImage takes at most 100 image ids a call.
      for (let start = 0; start < digests.length; start += 100) {
        await client.send(
          new BatchDeleteImageCommand({
            repositoryName: name,
            imageIds: digests.slice(start, start + 100).map((imageDigest) => ({ imageDigest })),
          }),
        );
      }
      return digests.length;
    },
  };
}

/** Every image id of a repository, all pages; undefined when the repository does not exist. */
async function listImages(client: ECRClient, name: string): Promise<ImageIdentifier[] | undefined> {
  const images: ImageIdentifier[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListImagesCommand({ repositoryName: name, maxResults: 1000, nextToken }),
      );
      images.push(...(page.imageIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return images;
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'RepositoryNotFoundException';
}
