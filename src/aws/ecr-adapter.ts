import {
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ListImagesCommand,
} from '@aws-sdk/client-ecr';
import type { PortFactory } from './aws-context.ts';
import type { EcrPort } from './ecr-port.ts';

export const ecrPort: PortFactory<EcrPort> = {
  service: 'ECR',
  create: (config) => ecrAdapter(new ECRClient(config)),
};

function ecrAdapter(client: ECRClient): EcrPort {
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
      // An image with several tags is listed once per tag: count digests, not entries.
      const digests = new Set<string>();
      let nextToken: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListImagesCommand({ repositoryName: name, maxResults: 1000, nextToken }),
          );
          for (const image of page.imageIds ?? []) {
            const id = image.imageDigest ?? image.imageTag;
            if (id) digests.add(id);
          }
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      return digests.size;
    },

    async deleteRepository(name) {
      try {
        await client.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
  };
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'RepositoryNotFoundException';
}
