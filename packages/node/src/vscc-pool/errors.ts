import { WeftError } from '@weft/core';

/**
 * A failure of the validation worker pool itself, never a transaction
 * verdict. Codes: VSCC_POOL_CLOSED, VSCC_POOL_QUEUE_FULL, VSCC_POOL_TIMEOUT,
 * VSCC_POOL_WORKER_CRASHED (a chunk killed every worker it ran on),
 * VSCC_POOL_TASK_FAILED (checkTx threw inside a worker), VSCC_POOL_BAD_RESULT,
 * VSCC_POOL_START_FAILED, VSCC_POOL_NO_WORKERS, VSCC_POOL_TEST_HOOKS.
 */
export class VsccPoolError extends WeftError {}
