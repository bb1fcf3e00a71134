// halld's exit statuses, so systemd (and a person) can tell a mistake in the file from a
// board whose storage is not there yet (provisioning/systemd/halld.service, README).
export const EXIT_OK = 0;
/** A bug: a stack trace was printed; report it. */
export const EXIT_INTERNAL = 1;
/** A mistake in the config file or the command line: fix the file; restarting will not help. */
export const EXIT_CONFIG = 2;
/** The data directory is missing and cannot be created, unwritable or read-only: fix the storage (a mount may still come). */
export const EXIT_DATA_DIR = 3;
/** Another halld holds this data directory (one device, one process). */
export const EXIT_LOCKED = 4;
/** `halld diag` (or a role action) ran and something failed: the table says what. */
export const EXIT_CHECK_FAILED = 5;
/** No running halld answered (`halld status` without a daemon; `halld cmd` without a broker or an ack). */
export const EXIT_UNREACHABLE = 6;
