import { CodeCommitClient, DeleteRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import type { CodeCommitPort } from './codecommit-port.ts';
import type { PortAdapter } from './port-token.ts';

export const codeCommitAdapter: PortAdapter<CodeCommitPort> = {
  create: (config) => codeCommitOver(new CodeCommitClient(config)),
};

function codeCommitOver(client: CodeCommitClient): CodeCommitPort {
  return {
    async getRepository(name) {
      try {
        const response = await client.send(new GetRepositoryCommand({ repositoryName: name }));
        const metadata = response.repositoryMetadata;
        if (!metadata) return undefined;
        return {
          name: metadata.repositoryName ?? name,
          arn: metadata.Arn ?? '',
          id: metadata.repositoryId ?? '',
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'RepositoryDoesNotExistException') return undefined;
        throw error;
      }
    },

    async deleteRepository(name) {
      // DeleteRepository succeeds for a repository that is already gone, with no repository id.
      const response = await client.send(new DeleteRepositoryCommand({ repositoryName: name }));
      return Boolean(response.repositoryId);
    },
  };
}
