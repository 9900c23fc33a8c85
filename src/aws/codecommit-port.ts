import { portToken } from './port-token.ts';

/** The CodeCommit calls stackguide makes: repositories are checked in the leftovers report, deleted on opt-in. */
export interface CodeCommitPort {
  /** undefined when no repository has that name. */
  getRepository(name: string): Promise<CodeCommitRepository | undefined>;
  /** Deletes the repository and the code in it; false when it was already gone. */
  deleteRepository(name: string): Promise<boolean>;
}

export interface CodeCommitRepository {
  name: string;
  arn: string;
  id: string;
}

export const codeCommitPort = portToken<CodeCommitPort>(
  'CodeCommit',
  {
    getRepository: true,
    deleteRepository: true,
  },
  'AWS_ENDPOINT_URL_CODECOMMIT',
);
