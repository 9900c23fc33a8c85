/**
 * CodeCommit calls to moto over plain HTTP. moto (5.2) answers CodeCommit's dates as ISO strings where
 * the JSON protocol has epoch seconds, and the SDK then refuses every repository response, so tests set
 * up and read repositories this way (stackguide's own adapter rewrites those fields; see
 * src/aws/codecommit-adapter.ts).
 */
export function codeCommitCall(
  endpoint: string,
  region: string,
  action: string,
  input: object,
): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `CodeCommit_20150413.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/codecommit/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
}

export async function createCodeCommitRepository(
  endpoint: string,
  region: string,
  name: string,
): Promise<void> {
  const response = await codeCommitCall(endpoint, region, 'CreateRepository', { repositoryName: name });
  if (!response.ok) throw new Error(`CreateRepository ${name}: ${response.status} ${await response.text()}`);
}

export async function codeCommitRepositoryExists(
  endpoint: string,
  region: string,
  name: string,
): Promise<boolean> {
  const response = await codeCommitCall(endpoint, region, 'GetRepository', { repositoryName: name });
  return response.ok;
}
