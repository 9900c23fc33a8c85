import { ExitCode, StackguideError } from '../errors.ts';

/**
 * AWS errors that mean "could not ask", not "something is wrong with the deployment". A call past its
 * deadline keeps exit 124, as for every command (it names the call and the resume command).
 */
const COULD_NOT_ASK = new Set(['aws.unreachable']);

/** Status cannot reach AWS: that is "could not check" (exit 3), not a verdict on the deployment. */
export async function couldNotCheck<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StackguideError && COULD_NOT_ASK.has(error.code)) {
      throw new StackguideError(`The deployment could not be checked: ${error.message}`, {
        code: error.code,
        kind: error.kind,
        exitCode: ExitCode.credentials,
        details: error.details,
        nextSteps: error.nextSteps,
        cause: error,
      });
    }
    throw error;
  }
}
