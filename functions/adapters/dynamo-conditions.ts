/**
 * DynamoDB's answer that a write's condition did not hold: an answer, not a failure. By name, so an
 * error from any copy of the SDK (or a test double) counts; the SDK's class sets the same name.
 */
export const conditionFailed = (err: unknown): boolean => (err as { name?: unknown } | null | undefined)?.name === 'ConditionalCheckFailedException';

/** Runs a conditional write: true when written, false when its condition did not hold; any other error is thrown. */
export const tryWrite = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
};
