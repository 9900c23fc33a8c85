import { Readable } from 'node:stream';
import { CodeCommitClient, DeleteRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import type { PortFactory } from './aws-context.ts';
import type { CodeCommitPort } from './codecommit-port.ts';

export const codeCommitPort: PortFactory<CodeCommitPort> = {
  service: 'CodeCommit',
  create: (config) => {
    const client = new CodeCommitClient(config);
    if (config.endpoint !== undefined) acceptIsoTimestamps(client);
    return codeCommitAdapter(client);
  },
};

function codeCommitAdapter(client: CodeCommitClient): CodeCommitPort {
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

/**
 * Emulators only (an endpoint override): moto (5.2) sends CodeCommit's `creationDate` and
 * `lastModifiedDate` as ISO 8601 strings where the JSON protocol, and AWS, send epoch seconds, and the
 * SDK then fails every repository call with "Expected real number, got implicit NaN". Rewrites those
 * two fields before the SDK parses the response. The same class of moto bug, for other JSON services:
 * https://github.com/getmoto/moto/issues/9763
 */
function acceptIsoTimestamps(client: CodeCommitClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as {
        headers: Record<string, string>;
        body?: AsyncIterable<Uint8Array | string>;
      };
      if (!response.body || typeof response.body[Symbol.asyncIterator] !== 'function') return result;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
      const text = Buffer.concat(chunks)
        .toString('utf8')
        .replace(
          /"(creationDate|lastModifiedDate)"\s*:\s*"([^"]+)"/g,
          (whole, key: string, value: string) => {
            const millis = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
            return Number.isNaN(millis) ? whole : `"${key}":${millis / 1000}`;
          },
        );
      const body = Buffer.from(text, 'utf8');
      response.body = Readable.from([body]);
      if ('content-length' in response.headers) response.headers['content-length'] = String(body.length);
      return result;
    },
    // Low priority in the deserialize step: runs on the raw response, before the SDK's deserializer.
    { step: 'deserialize', priority: 'low', name: 'stackguideAcceptIsoTimestamps' },
  );
}
